"""One HTTP POST of a delivery: to a public address only (unless the operator allows private
ones), no redirects followed, 10 s timeout, the first 1 KB of the answer kept."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

TIMEOUT_S = 10.0
EXCERPT_BYTES = 1024
USER_AGENT = "TensorJudge-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    """What the receiver answered: a status code (None if none came) and why it failed."""

    status_code: int | None
    excerpt: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def describe(self) -> str:
        if self.status_code is None:
            return self.error or "no answer"
        return f"HTTP {self.status_code}"


def url_problem(url: str) -> str | None:
    """Why `url` cannot receive webhooks (not http(s), no host, a name that does not resolve,
    or a private, loopback or link-local address while settings.WEBHOOK_ALLOW_PRIVATE_URLS is
    off: the platform must not be made to call its own network), else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "the URL must be http:// or https:// with a host name"
    if settings.WEBHOOK_ALLOW_PRIVATE_URLS:
        return None
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except (OSError, ValueError) as exc:
        return f"{parts.hostname} does not resolve ({exc})"
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        if not address.is_global:
            return f"{parts.hostname} is a private address ({address}): not reachable from here"
    return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer like any non-2xx: following it could lead to a private address.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST `body` (JSON) to `url` with `headers`; never raises."""
    problem = url_problem(url)
    if problem:
        return Answer(None, error=problem)
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": USER_AGENT, **headers},
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_S) as response:
            return Answer(response.status, _excerpt(response.read(EXCERPT_BYTES)))
    except urllib.error.HTTPError as exc:
        try:
            excerpt = _excerpt(exc.read(EXCERPT_BYTES))
        except OSError:
            excerpt = ""
        return Answer(exc.code, excerpt, error=f"HTTP {exc.code}")
    except (OSError, ValueError, http.client.HTTPException) as exc:  # refused, timed out, TLS...
        reason = getattr(exc, "reason", exc)
        return Answer(None, error=f"{type(exc).__name__}: {reason}"[:500])


def _excerpt(raw: bytes) -> str:
    return raw[:EXCERPT_BYTES].decode("utf-8", errors="replace")
