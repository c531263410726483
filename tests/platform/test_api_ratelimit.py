"""Rate limits per API key, counted in a real Redis: past the limit, 429 with Retry-After."""

from __future__ import annotations

import logging
import socket
import time

import pytest
import redis

import stack
from api import ratelimit
from api.ratelimit import window_key

pytestmark = pytest.mark.django_db
LIMIT = 5


@pytest.fixture
def limited(settings, redis_server):
    """A limit of LIMIT requests a minute, counted in the test's Redis."""
    settings.API_REQUESTS_PER_MINUTE = LIMIT
    settings.API_REDIS_URL = f"{redis_server.url}/1"
    return redis.Redis.from_url(settings.API_REDIS_URL)


def test_the_request_past_the_limit_gets_429_with_retry_after(limited, make_api_key) -> None:
    key, _, client = make_api_key("acme", ("read",))
    for _ in range(LIMIT):
        assert client.get("/api/v1/exercises").status_code == 200
    refused = client.get("/api/v1/exercises")
    assert refused.status_code == 429
    assert 55 <= int(refused["Retry-After"]) <= 60
    error = refused.json()["error"]
    assert error["code"] == "rate_limited"
    assert f"at most {LIMIT} a minute" in error["message"]
    assert "X-Request-Id" in refused
    # Refused requests are not counted: the window still holds LIMIT requests.
    assert client.get("/api/v1/exercises").status_code == 429
    assert limited.zcard(window_key(key)) == LIMIT


def test_another_key_is_not_affected(limited, make_api_key) -> None:
    _, _, busy = make_api_key("acme", ("read",))
    _, _, calm = make_api_key("acme", ("read",))
    for _ in range(LIMIT + 1):
        busy.get("/api/v1/exercises")
    assert busy.get("/api/v1/exercises").status_code == 429
    assert all(calm.get("/api/v1/exercises").status_code == 200 for _ in range(LIMIT))


def test_the_window_slides_requests_older_than_a_minute_leave_it(limited, make_api_key) -> None:
    key, _, client = make_api_key("acme", ("read",))
    for _ in range(LIMIT):
        client.get("/api/v1/exercises")
    assert client.get("/api/v1/exercises").status_code == 429
    # Age the oldest two requests past the minute, on Redis's own clock.
    seconds, micros = limited.time()
    now_ms = seconds * 1000 + micros // 1000
    oldest = limited.zrange(window_key(key), 0, 1)
    limited.zadd(window_key(key), {member: now_ms - 61_000 for member in oldest})
    assert client.get("/api/v1/exercises").status_code == 200
    assert client.get("/api/v1/exercises").status_code == 200
    assert client.get("/api/v1/exercises").status_code == 429


def test_requests_without_an_api_key_are_not_limited_here(limited, api) -> None:
    assert all(api.get("/api/v1/exercises").status_code == 200 for _ in range(LIMIT * 2))


def test_without_redis_requests_go_through_and_a_warning_is_logged(
    settings, make_api_key, caplog, monkeypatch
) -> None:
    settings.API_REQUESTS_PER_MINUTE = 1
    settings.API_REDIS_URL = f"redis://127.0.0.1:{stack.free_port()}/0"  # nothing listens
    _, _, client = make_api_key("acme", ("read",))
    started = time.monotonic()
    monkeypatch.setattr(ratelimit, "_last_warning", 0.0)
    with caplog.at_level(logging.WARNING, logger="api.ratelimit"):
        assert all(client.get("/api/v1/exercises").status_code == 200 for _ in range(3))
    assert time.monotonic() - started < 10
    assert "rate limits are not enforced" in caplog.text


def test_a_redis_that_hangs_delays_one_request_not_every_one(settings, make_api_key) -> None:
    with socket.socket() as silent:  # accepts connections (the backlog), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.API_REDIS_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        _, _, client = make_api_key("acme", ("read",))
        started = time.monotonic()
        assert all(client.get("/api/v1/exercises").status_code == 200 for _ in range(4))
        elapsed_s = time.monotonic() - started
    assert elapsed_s < 3.5  # one 2 s read timeout, then Redis is left alone for a while
