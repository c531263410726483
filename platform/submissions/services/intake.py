"""Accepting a submission: validate, store, and hand its id to the broker after the commit."""

from __future__ import annotations

import logging
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from bank.models import Exercise, ExerciseVersion
from submissions.models import Submission

log = logging.getLogger(__name__)


class SubmissionRejected(ValueError):
    """The submission cannot be accepted; `field` names the input at fault."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def submission_create(
    *,
    owner: AbstractBaseUser,
    exercise: Exercise,
    code: str,
    suite: str,
    version: ExerciseVersion | None = None,
) -> Submission:
    """Store a new QUEUED submission against `version` of the exercise (an assessment pins
    one; by default its current version), and enqueue it once the row is committed. Raises
    SubmissionRejected; then nothing is stored or enqueued.

    Once this returns, the submission is never lost: if the broker is down it stays QUEUED with
    no `enqueued_at`, and the sweeper hands it over when the broker is back.
    """
    if not exercise.accepts_submissions:
        raise SubmissionRejected(f"exercise {exercise.slug!r} is not open", field="exercise")
    if version is not None and version.exercise_id != exercise.pk:
        raise SubmissionRejected(f"that version is not of {exercise.slug!r}", field="exercise")
    if suite not in Submission.Suite.values:
        raise SubmissionRejected(f"suite must be one of {Submission.Suite.values}", field="suite")
    if not code.strip():
        raise SubmissionRejected("code is empty", field="code")
    size = len(code.encode("utf-8", "surrogatepass"))
    if size > settings.MAX_SOURCE_BYTES:
        raise SubmissionRejected(
            f"code is {size} bytes; the limit is {settings.MAX_SOURCE_BYTES} bytes (256 KB)",
            field="code",
        )
    if any(0xD800 <= ord(c) <= 0xDFFF for c in code):
        raise SubmissionRejected("code is not valid Unicode (lone surrogates)", field="code")
    with transaction.atomic():
        submission = Submission.objects.create(
            owner=owner,
            exercise_version=version or exercise.current_version,
            code=code,
            suite=suite,
        )
        transaction.on_commit(lambda: submission_enqueue(submission_id=submission.id))
    return submission


def submission_enqueue(*, submission_id: UUID, countdown_s: float = 0.0) -> bool:
    """Hand a QUEUED submission to the broker; False (and `enqueued_at` left null for the
    sweeper) if the broker cannot be reached. Never raises for a broker failure."""
    from submissions.tasks import grade_submission  # tasks import services: import late

    submission = (
        Submission.objects.filter(id=submission_id, status=Submission.Status.QUEUED)
        .select_related("exercise_version")
        .first()
    )
    if submission is None:
        return False
    version = submission.exercise_version
    # Celery's limits sit above the sandbox's own wall clock (wall time + start-up slack), so
    # the sandbox always ends a job first and Celery's kill is only a backstop.
    soft_limit_s = version.wall_time_s + 120
    Submission.objects.filter(id=submission_id, status=Submission.Status.QUEUED).update(
        enqueued_at=timezone.now()
    )
    try:
        grade_submission.apply_async(
            args=[str(submission_id)],
            queue=version.queue,
            countdown=countdown_s,
            soft_time_limit=soft_limit_s,
            time_limit=soft_limit_s + 60,
            retry=False,  # a broker that is down must not hold the request: the sweeper retries
        )
    except Exception as exc:  # kombu raises many kinds: any failure to publish is the same case
        log.warning("could not enqueue submission %s (the sweeper will): %s", submission_id, exc)
        Submission.objects.filter(id=submission_id, status=Submission.Status.QUEUED).update(
            enqueued_at=None
        )
        return False
    return True
