"""Celery tasks: thin wrappers that take ids and call services (submissions.services)."""

from __future__ import annotations

import logging
from typing import Any
from uuid import UUID

from celery import shared_task
from celery.signals import worker_ready

from submissions.models import Submission
from submissions.services import (
    GradeResult,
    sandboxes_reap,
    submission_enqueue,
    submission_grade,
    submissions_release_orphans,
    submissions_sweep,
)
from submissions.services.grading import retry_delay_s

log = logging.getLogger(__name__)


@shared_task(name="submissions.grade", bind=True, acks_late=True, reject_on_worker_lost=True)
def grade_submission(self: Any, submission_id: str) -> str:
    """Grade one submission (idempotent: a redelivered message finds nothing to do)."""
    result = submission_grade(submission_id=UUID(submission_id), worker=self.request.hostname)
    if result is GradeResult.RETRY:
        submission = Submission.objects.get(id=submission_id)
        submission_enqueue(submission_id=submission.id, countdown_s=retry_delay_s(submission))
    return result.value


@shared_task(name="submissions.sweep")
def sweep_submissions() -> dict[str, list[str]]:
    result = submissions_sweep()
    if result.enqueued or result.released:
        log.info("sweeper: enqueued %s, released %s", result.enqueued, result.released)
    return {"enqueued": result.enqueued, "released": result.released}


@shared_task(name="submissions.reap")
def reap_sandboxes() -> list[str]:
    return sandboxes_reap()


@worker_ready.connect
def recover_after_restart(sender: Any, **_: Any) -> None:
    """A (re)started worker first re-queues what it was grading when it died, then reaps."""
    released = submissions_release_orphans(worker=sender.hostname)
    if released:
        log.warning("worker %s re-queued its orphaned submissions: %s", sender.hostname, released)
    sandboxes_reap()
