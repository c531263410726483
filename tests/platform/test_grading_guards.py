"""submissions.services: the guarded status changes that make grading exactly-once, the sweeper
and orphan release (real database and Redis; no sandbox run here)."""

from datetime import timedelta

import pytest
import redis
from django.utils import timezone

from bank.models import Exercise
from graders.report import Outcome, Report, TestResult, Verdict
from submissions.models import Submission, SubmissionTest
from submissions.services import (
    GradeResult,
    submission_grade,
    submissions_release_orphans,
    submissions_sweep,
)
from submissions.services.grading import _claim, _record, _retry_or_fail

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(bank, user_token):
    version = Exercise.objects.get(slug="arith").current_version
    return Submission.objects.create(
        owner=user_token[0], exercise_version=version, code="def add(a, b):\n    return a + b\n"
    )


def a_report(verdict=Verdict.ACCEPTED):
    test = TestResult(
        nodeid="t::a",
        name="test_a",
        description="",
        outcome=Outcome.PASSED,
        fraction=1.0,
        points=100.0,
        max_points=100.0,
    )
    return Report(
        verdict=verdict,
        score=100.0,
        gradable=verdict is not Verdict.SANDBOX_ERROR,
        suite="hidden",
        exercise="arith",
        tests=[test],
    )


def test_only_one_grader_can_claim_a_queued_submission(submission):
    first = _claim(submission.id, "worker-a")
    second = _claim(submission.id, "worker-b")
    assert first is not None and second is None
    submission.refresh_from_db()
    assert submission.status == "RUNNING" and submission.claimed_by == "worker-a"
    assert submission.attempts == 1


def test_a_grader_whose_lease_expired_is_replaced_and_records_nothing(submission):
    stale = _claim(submission.id, "worker-a")
    Submission.objects.filter(id=submission.id).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )
    fresh = _claim(submission.id, "worker-b")
    assert fresh is not None and fresh.job_id != stale.job_id
    assert _record(stale, a_report()) is GradeResult.SKIPPED
    assert SubmissionTest.objects.count() == 0
    assert _record(fresh, a_report()) is GradeResult.GRADED
    assert _record(fresh, a_report()) is GradeResult.SKIPPED  # a second result: refused
    submission.refresh_from_db()
    assert submission.status == "GRADED" and submission.attempts == 2
    assert SubmissionTest.objects.filter(submission=submission).count() == 1


def test_a_finished_submission_is_never_claimed_again(submission):
    claim = _claim(submission.id, "worker-a")
    _record(claim, a_report())
    assert _claim(submission.id, "worker-b") is None
    assert submission_grade(submission_id=submission.id, worker="w") is GradeResult.SKIPPED


def test_a_sandbox_error_goes_back_to_the_queue_until_the_attempts_are_spent(submission, settings):
    settings.GRADING_MAX_ATTEMPTS = 2
    claim = _claim(submission.id, "worker-a")
    assert _retry_or_fail(claim, a_report(Verdict.SANDBOX_ERROR)) is GradeResult.RETRY
    submission.refresh_from_db()
    assert submission.status == "QUEUED" and submission.sandbox_errors == 1
    claim = _claim(submission.id, "worker-a")
    assert _retry_or_fail(claim, a_report(Verdict.SANDBOX_ERROR)) is GradeResult.FAILED
    submission.refresh_from_db()
    assert submission.status == "FAILED" and "failed 2 times" in submission.failure_reason
    assert submission.verdict is None  # never counted against the candidate


def test_a_submission_claimed_more_than_the_limit_fails_without_running(submission, settings):
    settings.GRADING_MAX_ATTEMPTS = 3
    Submission.objects.filter(id=submission.id).update(attempts=3)
    assert submission_grade(submission_id=submission.id, worker="w") is GradeResult.FAILED
    submission.refresh_from_db()
    assert submission.status == "FAILED" and "after 3 attempts" in submission.failure_reason


def test_the_sweeper_enqueues_what_the_broker_never_got_and_frees_expired_leases(
    submission, redis_server, user_token
):
    broker = redis.Redis.from_url(f"{redis_server.url}/0")
    broker.delete("cpu")
    running = Submission.objects.create(
        owner=user_token[0],
        exercise_version=submission.exercise_version,
        code="x = 1\n",
        status="RUNNING",
        claimed_by="dead-worker",
        lease_expires_at=timezone.now() - timedelta(seconds=5),
    )
    result = submissions_sweep()
    assert sorted(result.enqueued) == sorted([str(submission.id), str(running.id)])
    assert result.released == [str(running.id)]
    assert broker.llen("cpu") == 2  # two grading messages wait in the cpu queue
    running.refresh_from_db()
    assert running.status == "QUEUED" and running.enqueued_at is not None
    assert submissions_sweep().enqueued == []  # handed over recently: not again


def test_a_restarted_worker_releases_only_what_it_held(submission, redis_server, user_token):
    Submission.objects.filter(id=submission.id).update(
        status="RUNNING",
        claimed_by="cpu@a",
        sandbox_job_id="0123456789abcdef",
        lease_expires_at=timezone.now() + timedelta(minutes=5),
    )
    other = Submission.objects.create(
        owner=user_token[0],
        exercise_version=submission.exercise_version,
        code="x = 1\n",
        status="RUNNING",
        claimed_by="cpu@b",
        lease_expires_at=timezone.now() + timedelta(minutes=5),
    )
    assert submissions_release_orphans(worker="cpu@a") == [str(submission.id)]
    submission.refresh_from_db()
    other.refresh_from_db()
    assert submission.status == "QUEUED" and other.status == "RUNNING"


def test_an_exercise_that_requires_a_gpu_is_routed_to_the_gpu_queue(
    bank_dir, tmp_path, redis_server, user_token
):
    import shutil

    from bank.services import exercise_sync_package
    from submissions.services import submission_enqueue

    package = tmp_path / "arith"
    shutil.copytree(bank_dir / "arith", package)
    toml = package / "exercise.toml"
    toml.write_text(toml.read_text().replace("[limits]", '[limits]\ngpu = "required"'))
    version, _ = exercise_sync_package(path=package)
    assert version.queue == "gpu"
    queued = Submission.objects.create(
        owner=user_token[0], exercise_version=version, code="x = 1\n"
    )
    broker = redis.Redis.from_url(f"{redis_server.url}/0")
    broker.delete("gpu", "cpu")
    assert submission_enqueue(submission_id=queued.id)
    assert broker.llen("gpu") == 1 and broker.llen("cpu") == 0
