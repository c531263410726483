"""Remove what crashed or killed graders left behind: labelled containers and job folders.

A job removes its own containers in a `finally`; this is for when that `finally` never ran (the
grading process was SIGKILLed, the machine rebooted). Run at worker start and periodically
(`python -m sandbox reap`); `live_jobs` protects the jobs still running in this process.
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
    live_jobs: Collection[str] = (),
    only_jobs: Collection[str] | None = None,
) -> list[str]:
    """Remove sandbox containers and job folders older than `older_than_s`; return job ids.

    `live_jobs` are never touched; `only_jobs`, when given, limits the sweep to those jobs.
    """
    now = time.time()
    reaped: set[str] = set()
    for container in client.containers.list(all=True, filters={"label": LABEL_JOB}):
        labels = container.labels
        job = labels.get(LABEL_JOB, "")
        if job in live_jobs or (only_jobs is not None and job not in only_jobs):
            continue
        if _age_s(labels.get(LABEL_CREATED, ""), now) < older_than_s:
            continue
        with contextlib.suppress(docker.errors.NotFound):
            container.remove(force=True)
        reaped.add(job)
    if jobs_dir.is_dir():
        for folder in jobs_dir.iterdir():
            if folder.name in live_jobs or (only_jobs is not None and folder.name not in only_jobs):
                continue
            if now - folder.lstat().st_mtime < older_than_s:
                continue
            shutil.rmtree(folder, ignore_errors=True)  # never follows links (fd-based)
            reaped.add(folder.name)
    return sorted(reaped)
