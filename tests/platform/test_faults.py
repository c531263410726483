"""Faults, with real processes: a worker killed mid-grading, Redis down when a submission
arrives, the Docker engine restarted mid-job. Every accepted submission still ends GRADED, once."""

import docker
import pytest

import stack
from e2e import source, submit, wait_for
from sandbox.containers import LABEL_JOB
from submissions.models import Submission, SubmissionTest

pytestmark = pytest.mark.django_db(transaction=True)

REFERENCE = "exercises/kmeans/solution.py"


def wait_running(platform, token, submission_id):
    """Until the submission is being graded and its first test has finished."""

    def started():
        body = platform.wait_for(token, submission_id, statuses={"RUNNING", "GRADED", "FAILED"})
        progress = body.get("progress") or {}
        return body["status"] != "RUNNING" or progress.get("finished", 0) >= 1

    stack.wait_until(started, timeout_s=120, what="the job to start")


def test_a_worker_killed_mid_grading_grades_it_exactly_once_after_restart(
    platform, bank, user_token
):
    _, token = user_token
    created = submit(platform.base_url, token, "kmeans", source(REFERENCE))
    wait_running(platform, token, created["id"])
    first_job = Submission.objects.get(id=created["id"]).sandbox_job_id
    platform.worker.kill()  # SIGKILL to the worker and its pool: no shutdown, no ack
    assert Submission.objects.get(id=created["id"]).status == "RUNNING"
    platform.worker.start()  # the same worker name: it re-queues what it held, then reaps
    graded = platform.wait_for(token, created["id"])
    assert graded["status"] == "GRADED" and graded["verdict"] == "ACCEPTED"
    submission = Submission.objects.get(id=created["id"])
    assert submission.attempts == 2 and submission.sandbox_job_id != first_job
    assert SubmissionTest.objects.filter(submission=submission).count() == len(graded["tests"])
    left = docker.from_env().containers.list(
        all=True, filters={"label": f"{LABEL_JOB}={first_job}"}
    )
    assert left == [], "the killed attempt's containers were not reaped"


def test_a_submission_posted_while_redis_is_down_is_graded_when_it_returns(
    platform, bank, user_token, redis_server
):
    _, token = user_token
    beat = stack.beat(platform.env, platform.logs).start()  # the sweeper runs every second
    try:
        redis_server.stop()
        created = submit(platform.base_url, token, "kmeans", source(REFERENCE))  # still 201
        stored = Submission.objects.get(id=created["id"])
        assert stored.status == "QUEUED" and stored.enqueued_at is None
        redis_server.start()
        graded = wait_for(
            platform.base_url,
            token,
            created["id"],
            logs=lambda: platform.logs_tail() + beat.log_tail(),
        )
        assert graded["status"] == "GRADED" and graded["verdict"] == "ACCEPTED"
        assert Submission.objects.get(id=created["id"]).attempts == 1
    finally:
        beat.stop()


def test_a_docker_engine_restarted_mid_job_is_a_sandbox_error_then_graded(
    platform, bank, user_token
):
    _, token = user_token
    created = submit(platform.base_url, token, "kmeans", source(REFERENCE))
    wait_running(platform, token, created["id"])
    stack.restart_docker_engine(platform.logs)
    graded = platform.wait_for(token, created["id"])
    assert graded["status"] == "GRADED" and graded["verdict"] == "ACCEPTED"
    submission = Submission.objects.get(id=created["id"])
    # Each sandbox error costs an attempt (the engine may still be starting at the first retry);
    # the last attempt graded it.
    assert submission.sandbox_errors >= 1
    assert submission.attempts == submission.sandbox_errors + 1
