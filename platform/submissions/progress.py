"""Live progress of running submissions, through Redis: each sandbox event is appended to a
list per submission, which readers poll from where they were (a late reader sees everything so
far). The list expires an hour after the last event; the database keeps the final result."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import redis
from django.conf import settings
from django.http import StreamingHttpResponse

if TYPE_CHECKING:
    from submissions.models import Submission

log = logging.getLogger(__name__)
EVENTS_TTL_S = 3600
# What a candidate may see while tests run: names and outcomes, never hidden messages (the
# checker already strips them from hidden results; the collected list carries no messages).
FORWARDED = {"collected", "test_started", "test_finished"}


@lru_cache(maxsize=1)
def _client() -> redis.Redis:
    return redis.Redis.from_url(
        settings.PROGRESS_REDIS_URL, socket_timeout=5, socket_connect_timeout=2
    )


def _key(submission_id: str) -> str:
    return f"tj:progress:{submission_id}"


def progress_publish(submission_id: str, event: dict[str, Any]) -> None:
    """Record one sandbox event for the submission; progress is best effort, never fatal."""
    if event.get("event") not in FORWARDED:
        return
    data = json.dumps(event, separators=(",", ":"))
    try:
        pipe = _client().pipeline()
        pipe.rpush(_key(submission_id), data)
        pipe.expire(_key(submission_id), EVENTS_TTL_S)
        pipe.execute()
    except redis.RedisError as exc:
        log.warning("progress of %s not published: %s", submission_id, exc)


def progress_reset(submission_id: str) -> None:
    """Forget the events of an earlier attempt (a retried submission starts over)."""
    try:
        _client().delete(_key(submission_id))
    except redis.RedisError as exc:
        log.warning("progress of %s not reset: %s", submission_id, exc)


def progress_events(submission_id: str, *, start: int = 0) -> list[dict[str, Any]]:
    """The submission's events from index `start` on (empty when Redis cannot be reached)."""
    try:
        raw = _client().lrange(_key(submission_id), start, -1)
    except redis.RedisError:
        return []
    return [json.loads(item) for item in raw]


def progress_summary(events: list[dict[str, Any]]) -> dict[str, Any]:
    """{"total": n, "finished": m, "running": nodeid or None, "tests": [name, outcome...]}."""
    collected = next((e["tests"] for e in events if e.get("event") == "collected"), [])
    finished = [e["result"] for e in events if e.get("event") == "test_finished"]
    done = {r.get("nodeid") for r in finished}
    running = next(
        (
            e["nodeid"]
            for e in reversed(events)
            if e.get("event") == "test_started" and e.get("nodeid") not in done
        ),
        None,
    )
    return {
        "total": len(collected),
        "finished": len(finished),
        "running": running,
        "tests": [
            {"name": r.get("name"), "outcome": r.get("outcome"), "duration_s": r.get("duration_s")}
            for r in finished
        ],
    }


def progress_stream(
    submission_id: str,
    *,
    is_finished: Callable[[], bool],
    poll_s: float = 0.25,
    timeout_s: float = 600.0,
) -> Iterator[dict[str, Any] | None]:
    """Every event of the submission as it arrives (polling the list), then stop once
    `is_finished()` and nothing is left; None every second or so as a keep-alive. Gives up after
    `timeout_s`."""
    seen = 0
    waited = 0.0
    idle = 0.0
    while waited < timeout_s:
        events = progress_events(submission_id, start=seen)
        seen += len(events)
        yield from events
        if not events and is_finished():
            return
        time.sleep(poll_s)
        waited += poll_s
        idle = 0.0 if events else idle + poll_s
        if idle >= 1.0:
            idle = 0.0
            yield None


def progress_sse(submission: Submission) -> Iterator[str]:
    """The submission's progress as Server-Sent Events: each event as it arrives, a comment
    line as keep-alive, then `done` with the final status, verdict and score."""

    def is_finished() -> bool:
        submission.refresh_from_db(fields=["status"])
        return submission.is_finished

    for event in progress_stream(str(submission.id), is_finished=is_finished):
        if event is None:
            yield ": keep-alive\n\n"
        else:
            yield f"event: {event['event']}\ndata: {json.dumps(event)}\n\n"
    submission.refresh_from_db(fields=["status", "verdict", "score"])
    done = {"status": submission.status, "verdict": submission.verdict, "score": submission.score}
    yield f"event: done\ndata: {json.dumps(done)}\n\n"


def progress_sse_response(submission: Submission) -> StreamingHttpResponse:
    """`progress_sse` as an HTTP response that no cache or proxy buffers."""
    response = StreamingHttpResponse(progress_sse(submission), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
