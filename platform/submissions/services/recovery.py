"""Keeping every accepted submission moving: the sweeper, orphan release at worker start, and
the reaper of sandbox containers no live job owns."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import timedelta

import docker
import docker.errors
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from sandbox.config import SandboxConfig
from sandbox.reaper import reap
from submissions.models import Submission
from submissions.services.intake import submission_enqueue

log = logging.getLogger(__name__)
# A container younger than this is left alone even if no running submission names it yet: the
# grader records the job id before the job starts, but the two are not one transaction.
REAP_GRACE_S = 120.0


@dataclass
class SweepResult:
    enqueued: list[str] = field(default_factory=list)
    released: list[str] = field(default_factory=list)


def submissions_sweep() -> SweepResult:
    """Re-enqueue submissions that would otherwise wait forever.

    - QUEUED and never handed to the broker (it was down at intake or at a retry);
    - QUEUED and handed over too long ago (the message was lost: Redis restarted without
      persistence, say): enqueued again; a duplicate message finds nothing to do;
    - RUNNING past its lease (its grader died without anyone noticing): back to QUEUED.
    """
    now = timezone.now()
    result = SweepResult()
    stale = now - timedelta(seconds=settings.SWEEP_QUEUED_AFTER_S)
    expired = Submission.objects.filter(status=Submission.Status.RUNNING, lease_expires_at__lt=now)
    for submission_id in expired.values_list("id", flat=True):
        released = Submission.objects.filter(
            id=submission_id, status=Submission.Status.RUNNING, lease_expires_at__lt=now
        ).update(
            status=Submission.Status.QUEUED, claimed_by="", lease_expires_at=None, enqueued_at=None
        )
        if released:
            result.released.append(str(submission_id))
    waiting = Submission.objects.filter(
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale), status=Submission.Status.QUEUED
    )
    for submission_id in waiting.values_list("id", flat=True):
        if submission_enqueue(submission_id=submission_id):
            result.enqueued.append(str(submission_id))
    return result


def submissions_release_orphans(*, worker: str) -> list[str]:
    """At a worker's start: whatever it was grading when it died is graded again.

    A worker that just started holds nothing, so a RUNNING submission claimed under its name is
    an orphan of its previous life. Its containers are removed and it goes back to the queue
    (guarded on the claim, so a submission another worker took over is left alone).
    """
    released = []
    client = docker.from_env()
    config = SandboxConfig.from_env()
    orphans = Submission.objects.filter(status=Submission.Status.RUNNING, claimed_by=worker)
    for submission_id, job_id in orphans.values_list("id", "sandbox_job_id"):
        reap(
            client,
            jobs_dir=config.jobs_dir,
            pool_dir=config.pool_dir,
            older_than_s=0.0,
            only_jobs={job_id},
        )
        if Submission.objects.filter(
            id=submission_id,
            status=Submission.Status.RUNNING,
            claimed_by=worker,
            sandbox_job_id=job_id,
        ).update(
            status=Submission.Status.QUEUED, claimed_by="", lease_expires_at=None, enqueued_at=None
        ):
            released.append(str(submission_id))
            submission_enqueue(submission_id=submission_id)
    return released


def sandboxes_reap() -> list[str]:
    """Remove sandbox containers and job folders that no running submission owns."""
    live = set(
        Submission.objects.filter(
            status=Submission.Status.RUNNING, lease_expires_at__gte=timezone.now()
        )
        .exclude(sandbox_job_id="")
        .values_list("sandbox_job_id", flat=True)
    )
    config = SandboxConfig.from_env()
    try:
        return reap(
            docker.from_env(),
            jobs_dir=config.jobs_dir,
            pool_dir=config.pool_dir,
            older_than_s=REAP_GRACE_S,
            live_jobs=live,
        )
    except docker.errors.DockerException as exc:
        log.warning("reaper could not reach the Docker engine: %s", exc)
        return []
