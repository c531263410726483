"""Rate limits per API key: at most API_REQUESTS_PER_MINUTE requests in any 60 seconds.

A sliding window kept in Redis (one sorted set of request times per key, trimmed and counted in
one Lua script, on Redis's clock), so every web replica shares it. Past the limit the API
answers 429 with `Retry-After` (seconds until the oldest request leaves the window) and the
error code `rate_limited`; refused requests do not count. Requests without an API key (the
candidate's and interviewer's sessions, tokens) are not limited here.

When Redis cannot be reached the request is let through and a warning is logged (at most once
a minute): a limit that cannot be counted is no reason to turn a hiring system away. Redis is
then left alone for a few seconds, so that a Redis that hangs does not slow every request."""

from __future__ import annotations

import logging
import math
import time
import uuid
from functools import lru_cache
from typing import Any

import redis
from django.conf import settings
from rest_framework import exceptions, throttling
from rest_framework.request import Request

from accounts.models import ApiKey

log = logging.getLogger(__name__)
WINDOW_MS = 60_000
_WARN_EVERY_S = 60.0
_REDIS_PAUSE_S = 5.0
_last_warning = 0.0
_paused_until: dict[str, float] = {}  # Redis URL -> monotonic time to try it again

# KEYS[1] the key's window; ARGV: window (ms), limit, a unique member.
# Returns {1, remaining} when admitted, {0, ms until a slot frees} when refused.
_SLIDING_WINDOW = """
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now_ms - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now_ms, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return {1, limit - count - 1}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {0, tonumber(oldest[2]) + window - now_ms}
"""


class RateLimited(exceptions.Throttled):
    """429 with `Retry-After`; the JSON error's code is "rate_limited"."""

    default_code = "rate_limited"
    default_detail = "Too many requests with this API key."


def redis_url() -> str:
    """TJ_API_REDIS_URL, else the progress Redis (read when used: tests point it elsewhere)."""
    return settings.API_REDIS_URL or settings.PROGRESS_REDIS_URL


@lru_cache(maxsize=4)
def _script(url: str) -> Any:
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1)
    return client.register_script(_SLIDING_WINDOW)  # EVALSHA, loading the script when needed


def window_key(key: ApiKey) -> str:
    # The prefix, not the primary key: ids come back after a rolled-back test or a restore.
    return f"tj:ratelimit:{key.prefix}"


def rate_limit_admit(*, key: ApiKey, limit: int) -> tuple[bool, float]:
    """Count one request of `key` if fewer than `limit` were admitted in the last minute.
    Returns (admitted, seconds to wait when refused); admits when Redis cannot be reached."""
    global _last_warning
    url = redis_url()
    now = time.monotonic()
    if now < _paused_until.get(url, 0.0):
        return True, 0.0
    try:
        admitted, value = _script(url)(
            keys=[window_key(key)], args=[WINDOW_MS, limit, uuid.uuid4().hex]
        )
    except redis.RedisError as exc:
        _paused_until[url] = now + _REDIS_PAUSE_S
        if now - _last_warning > _WARN_EVERY_S:
            _last_warning = now
            log.warning("API rate limits are not enforced: Redis cannot be reached (%s)", exc)
        return True, 0.0
    return bool(admitted), 0.0 if admitted else max(int(value), 0) / 1000


class ApiKeyRateThrottle(throttling.BaseThrottle):
    """DRF throttle (DEFAULT_THROTTLE_CLASSES): refuses an API key's requests past its limit."""

    def allow_request(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return True
        limit = settings.API_REQUESTS_PER_MINUTE
        admitted, wait_s = rate_limit_admit(key=key, limit=limit)
        if not admitted:
            # Raised, not returned False: DRF's own Throttled would say "throttled".
            raise RateLimited(
                wait=max(math.ceil(wait_s), 1),
                detail=f"Too many requests with this API key (at most {limit} a minute).",
            )
        return True
