"""Throughput: many submissions queued at once through the real platform (web, Redis, Celery).

Starts deploy/local/run.py (bench/local_platform.py) with its own Redis, SQLite and sandbox
folders, POSTs `count` correctness-only submissions as fast as the API takes them, then reads
the submissions' timestamps from the SQLite file until all are finished.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

from local_platform import local_platform

FINISHED = ("GRADED", "FAILED")


@dataclass
class ThroughputResult:
    count: int
    exercise: str
    suite: str
    finished: int = 0
    per_second: float = 0.0
    wall_s: float = 0.0
    queue_wait_s: list[float] = field(default_factory=list)
    end_to_end_s: list[float] = field(default_factory=list)
    verdicts: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, int] = field(default_factory=dict)
    retried: int = 0
    warm_sets: int = 0  # gradings that took a ready set from the pool
    post_s: float = 0.0
    error: str = ""

    @property
    def all_accepted(self) -> bool:
        return self.finished == self.count and self.verdicts == {"ACCEPTED": self.count}


def _post(base: str, token: str, body: dict[str, Any]) -> str:
    request = Request(
        f"{base}/api/v1/submissions",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urlopen(request, timeout=60) as response:
        return str(json.load(response)["id"])


def _rows(db: Path, ids: list[str]) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as connection:
        marks = ",".join("?" * len(ids))
        return connection.execute(
            "SELECT status, verdict, attempts, created_at, started_at, finished_at, "
            "json_extract(report, '$.timings.warm_set') "
            f"FROM submissions_submission WHERE id IN ({marks})",
            ids,
        ).fetchall()


def _time(text: str | None) -> float | None:
    return datetime.fromisoformat(text).timestamp() if text else None


def measure_throughput(
    *,
    count: int,
    exercise: str,
    code: str,
    suite: str = "public",
    pool_size: int = 2,
    concurrency: int = 2,
    posters: int = 8,
    timeout_s: float | None = None,
    progress: Any = print,
) -> ThroughputResult:
    """Queue `count` submissions at once; wait for all; measure rate and waits."""
    result = ThroughputResult(count=count, exercise=exercise, suite=suite)
    work = Path(tempfile.mkdtemp(prefix="tj-bench-throughput-"))
    db = work / "db.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{db}",
        "TJ_POOL_SIZE": str(pool_size),
        "TJ_WORKER_CONCURRENCY": str(concurrency),
        # The pool warms sets for what is submitted (the default warms kmeans' hidden suite,
        # whose profile a public-suite job cannot take).
        "TJ_POOL_WARM": f"{exercise}:{suite}",
        # The demo token is a session token, not an API key, so no rate limit applies to it;
        # raised anyway so that a change there does not quietly turn into 429s here.
        "TJ_API_REQUESTS_PER_MINUTE": "1000000",
        "TJ_SANDBOX_JOBS_DIR": str(work / "jobs"),
        "TJ_POOL_DIR": str(work / "pool"),
    }
    try:
        with local_platform(**env) as (base, output):
            match = re.search(r"demo token\s+(\w+)", output)
            if match is None:
                result.error = "no demo token in run.py's output"
                return result
            token = match.group(1)
            body = {"exercise": exercise, "code": code, "suite": suite}
            # One first, alone and not counted: the worker is up and the image is there.
            warmup = _post(base, token, body)
            _wait(db, [uuid.UUID(warmup).hex], deadline=time.monotonic() + 300)
            progress(f"throughput: warm-up graded; posting {count} submissions")
            posting = time.monotonic()
            with ThreadPoolExecutor(max_workers=posters) as pool:
                ids = list(pool.map(lambda _: _post(base, token, body), range(count)))
            result.post_s = time.monotonic() - posting
            progress(f"throughput: {count} posted in {result.post_s:.1f} s; waiting")
            hex_ids = [uuid.UUID(i).hex for i in ids]
            limit = timeout_s if timeout_s is not None else max(600.0, 10.0 * count)
            rows = _wait(db, hex_ids, deadline=time.monotonic() + limit, progress=progress)
    except Exception as exc:  # a measurement: say what broke, keep the other parts
        result.error = f"{type(exc).__name__}: {exc}"
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)
    _summarize(result, rows)
    return result


def _wait(
    db: Path, ids: list[str], *, deadline: float, progress: Any = None
) -> list[tuple[Any, ...]]:
    last_report = 0.0
    while True:
        rows = _rows(db, ids)
        done = sum(1 for row in rows if row[0] in FINISHED)
        if done == len(ids) or time.monotonic() > deadline:
            return rows
        if progress is not None and time.monotonic() - last_report > 15:
            progress(f"throughput: {done}/{len(ids)} finished")
            last_report = time.monotonic()
        time.sleep(0.5)


def _summarize(result: ThroughputResult, rows: list[tuple[Any, ...]]) -> None:
    created, finished = [], []
    for status, verdict, attempts, created_at, started_at, finished_at, warm in rows:
        result.statuses[status] = result.statuses.get(status, 0) + 1
        if status not in FINISHED:
            continue
        result.finished += 1
        result.verdicts[str(verdict)] = result.verdicts.get(str(verdict), 0) + 1
        result.retried += int(attempts) > 1
        result.warm_sets += warm == 1.0
        c, s, f = _time(created_at), _time(started_at), _time(finished_at)
        if c is None or f is None:
            continue
        created.append(c)
        finished.append(f)
        result.end_to_end_s.append(f - c)
        if s is not None:
            result.queue_wait_s.append(s - c)
    if created and finished:
        result.wall_s = max(finished) - min(created)
        result.per_second = result.finished / result.wall_s if result.wall_s > 0 else 0.0


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    code = (root / "exercises" / "kmeans" / "solution.py").read_text()
    print(measure_throughput(count=n, exercise="kmeans", code=code))
