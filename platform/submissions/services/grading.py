"""Grading one submission, exactly once, whatever crashes.

claim   QUEUED -> RUNNING (attempts + 1, a fresh sandbox job id, a lease), one guarded UPDATE
grade   run the sandbox (progress events go to Redis)
finish  RUNNING -> GRADED with the report and per-test rows, guarded on the claim's job id
        so that a grader who lost its claim (lease expired, recovered by another) records
        nothing; or, on SANDBOX_ERROR, RUNNING -> QUEUED for a retry after backoff, and
        FAILED once the attempts are spent (never counted against the candidate)
"""

from __future__ import annotations

import enum
import logging
import traceback
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

import sandbox
from api.webhooks import hooks
from bank.services import exercise_version_unpack
from graders.package import load_exercise
from graders.report import Report, Verdict
from sandbox.config import SandboxConfig
from submissions.models import Submission, SubmissionTest
from submissions.progress import progress_publish, progress_reset

log = logging.getLogger(__name__)
LEASE_SLACK_S = 180.0  # beyond the sandbox's own wall clock: start-up, teardown, a slow database


class GradeResult(enum.StrEnum):
    GRADED = "graded"
    RETRY = "retry"  # a sandbox error; back to QUEUED for another attempt
    FAILED = "failed"  # attempts spent: FAILED
    SKIPPED = "skipped"  # nothing to do: already finished, or held by another grader


@dataclass(frozen=True)
class Claim:
    submission: Submission
    job_id: str


def _lease_for(submission: Submission) -> timedelta:
    wall_s = submission.exercise_version.wall_time_s + SandboxConfig().startup_slack_s
    return timedelta(seconds=wall_s + LEASE_SLACK_S)


def _claim(submission_id: UUID, worker: str) -> Claim | None:
    """Take the submission for this grader, or None if it is not ours to grade."""
    submission = (
        Submission.objects.select_related("exercise_version").filter(id=submission_id).first()
    )
    if submission is None or submission.is_finished:
        return None
    now = timezone.now()
    job_id = sandbox.new_job_id()
    claimable = Q(status=Submission.Status.QUEUED) | Q(
        status=Submission.Status.RUNNING,
        lease_expires_at__lt=now,  # its grader is gone
    )
    taken = Submission.objects.filter(claimable, id=submission_id).update(
        status=Submission.Status.RUNNING,
        attempts=F("attempts") + 1,
        sandbox_job_id=job_id,
        claimed_by=worker,
        lease_expires_at=now + _lease_for(submission),
        started_at=now,
    )
    if taken != 1:
        return None
    submission.refresh_from_db()
    return Claim(submission, job_id)


def _mine(claim: Claim) -> Q:
    """Rows still held by this claim: the guard of every write that finishes an attempt."""
    return Q(id=claim.submission.id, status=Submission.Status.RUNNING, sandbox_job_id=claim.job_id)


def submission_grade(*, submission_id: UUID, worker: str) -> GradeResult:
    """Grade the submission if it is ours to grade; record the result exactly once."""
    claim = _claim(submission_id, worker)
    if claim is None:
        return GradeResult.SKIPPED
    submission = claim.submission
    if submission.attempts > settings.GRADING_MAX_ATTEMPTS:
        result = _fail(claim, f"not graded after {settings.GRADING_MAX_ATTEMPTS} attempts")
        if result is GradeResult.FAILED:
            hooks.submission_finished(submission_id=submission.id)
        return result
    progress_reset(str(submission.id))
    try:
        exercise = load_exercise(exercise_version_unpack(submission.exercise_version))
        report = sandbox.grade(
            exercise,
            submission.code.encode("utf-8"),
            suite=submission.suite,
            job_id=claim.job_id,
            on_event=lambda event: progress_publish(str(submission.id), event),
        )
    except Exception:  # ours, not the candidate's: retried like any sandbox error
        log.exception("submission %s: grading failed", submission.id)
        report = Report(
            verdict=Verdict.SANDBOX_ERROR,
            score=0.0,
            gradable=False,
            suite=submission.suite,
            exercise="",
            message="grading failed",
            diagnostics=traceback.format_exc()[-4000:],
        )
    if report.verdict is Verdict.SANDBOX_ERROR:
        result = _retry_or_fail(claim, report)
    else:
        result = _record(claim, report)
    if result in (GradeResult.GRADED, GradeResult.FAILED):
        # submission.graded, and invitation.graded when it was the attempt's last pending one
        hooks.submission_finished(submission_id=submission.id)
    return result


def _record(claim: Claim, report: Report) -> GradeResult:
    with transaction.atomic():
        done = Submission.objects.filter(_mine(claim)).update(
            status=Submission.Status.GRADED,
            verdict=report.verdict.value,
            score=round(report.score, 4),
            report=report.as_dict(),
            finished_at=timezone.now(),
            lease_expires_at=None,
        )
        if done != 1:  # our claim was taken over: the other grader records the result
            log.warning(
                "submission %s: claim %s lost, result dropped", claim.submission.id, claim.job_id
            )
            return GradeResult.SKIPPED
        SubmissionTest.objects.bulk_create(
            SubmissionTest(
                submission_id=claim.submission.id,
                position=position,
                nodeid=test.nodeid,
                name=test.name,
                description=test.description,
                outcome=test.outcome.value,
                weight=test.weight,
                points=test.points,
                max_points=test.max_points,
                duration_s=test.duration_s,
                visible=test.visible,
                message=test.message,
                is_speed=test.is_speed,
            )
            for position, test in enumerate(report.tests)
        )
    return GradeResult.GRADED


def _retry_or_fail(claim: Claim, report: Report) -> GradeResult:
    log.warning(
        "submission %s: sandbox error (attempt %s): %s | %s",
        claim.submission.id,
        claim.submission.attempts,
        report.message,
        report.diagnostics,
    )
    if claim.submission.attempts >= settings.GRADING_MAX_ATTEMPTS:
        return _fail(
            claim, f"the sandbox failed {claim.submission.attempts} times: {report.message}"
        )
    requeued = Submission.objects.filter(_mine(claim)).update(
        status=Submission.Status.QUEUED,
        sandbox_errors=F("sandbox_errors") + 1,
        lease_expires_at=None,
        claimed_by="",
        enqueued_at=None,  # the task enqueues the retry; if it cannot, the sweeper will
    )
    return GradeResult.RETRY if requeued == 1 else GradeResult.SKIPPED


def _fail(claim: Claim, reason: str) -> GradeResult:
    failed = Submission.objects.filter(_mine(claim)).update(
        status=Submission.Status.FAILED,
        failure_reason=reason[:2000],
        finished_at=timezone.now(),
        lease_expires_at=None,
    )
    return GradeResult.FAILED if failed == 1 else GradeResult.SKIPPED


def retry_delay_s(submission: Submission) -> float:
    """Exponential backoff for the next attempt after a sandbox error."""
    base: float = settings.GRADING_RETRY_BACKOFF_S
    return min(base * 2 ** max(submission.sandbox_errors - 1, 0), 600.0)
