"""Remove what crashed or killed graders left behind: labelled containers and job folders.

A job removes its own containers in a `finally`; this is for when that `finally` never ran (the
grading process was SIGKILLed, the machine rebooted). Run at worker start and periodically
(`python -m sandbox reap`); `live_jobs` protects the jobs still running in this process.

Sets of the warm pool are named by their set id, not by the job that takes them: a taken set
counts as its job's (`sandbox.pool.claimed_jobs`), aged from when it was taken, and the ready
sets of a live keeper are never leftovers.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Collection
from datetime import datetime
from pathlib import Path

import docker
import docker.errors

from sandbox import pool
from sandbox.containers import LABEL_CREATED, LABEL_JOB


def _age_s(created: str, now: float) -> float:
    try:
        return now - datetime.fromisoformat(created).timestamp()
    except ValueError:
        return float("inf")  # unreadable label: old enough


def reap(
    client: docker.DockerClient,
    *,
    jobs_dir: Path,
    older_than_s: float,
    pool_dir: Path | None = None,
    live_jobs: Collection[str] = (),
    only_jobs: Collection[str] | None = None,
) -> list[str]:
    """Remove sandbox containers and job folders older than `older_than_s`; return job ids.

    `live_jobs` are never touched; `only_jobs`, when given, limits the sweep to those jobs.
    `pool_dir` is the warm pool's folder (default: beside `jobs_dir`).
    """
    pool_dir = pool_dir or jobs_dir.parent / "pool"
    now = time.time()
    claimed = pool.claimed_jobs(pool_dir)
    spared = pool.spared_sets(pool_dir)

    def leftover(set_id: str, created: float) -> str | None:
        """The job a set or job id belongs to, if it is to be reaped."""
        job, since = claimed.get(set_id, (set_id, created))
        if set_id in spared or job in live_jobs or (only_jobs is not None and job not in only_jobs):
            return None
        return job if now - since >= older_than_s else None

    reaped: set[str] = set()
    for container in client.containers.list(all=True, filters={"label": LABEL_JOB}):
        labels = container.labels
        set_id = labels.get(LABEL_JOB, "")
        job = leftover(set_id, now - _age_s(labels.get(LABEL_CREATED, ""), now))
        if job is None:
            continue
        # NotFound, or a removal already in progress (its own job's cleanup got there first)
        with contextlib.suppress(docker.errors.NotFound, docker.errors.APIError):
            container.remove(force=True)
        reaped.add(job)
    if jobs_dir.is_dir():
        for folder in jobs_dir.iterdir():
            job = leftover(folder.name, folder.lstat().st_mtime)
            if job is None:
                continue
            shutil.rmtree(folder, ignore_errors=True)  # never follows links (fd-based)
            if folder.name in claimed:
                pool.release_claim_in(pool_dir, folder.name)
            reaped.add(job)
    return sorted(reaped)
