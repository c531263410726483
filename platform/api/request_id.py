"""Request ids: every response carries `X-Request-Id`, and every log line written while
serving the request shows it, so a hiring system's bug report ("request 7f3a... failed") leads
to the server's log lines.

The id is the client's own `X-Request-Id` when it is sane (1 to 100 characters of
[A-Za-z0-9._-]: nothing that could forge a log line), else a new uuid4 hex."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-Id"
NO_REQUEST = "-"  # what log lines written outside any request show
_SANE = re.compile(r"[A-Za-z0-9._-]{1,100}")
_current: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def request_id_of(request: HttpRequest) -> str:
    """The id of `request`: the client's `X-Request-Id` if it is sane, else a new one."""
    offered = request.headers.get(HEADER, "")
    return offered if _SANE.fullmatch(offered) else uuid.uuid4().hex


def current_request_id() -> str:
    """The id of the request being served by this thread (or task), "-" outside requests."""
    return _current.get()


class RequestIdMiddleware:
    """Gives each request its id (`request.request_id`) and puts it on the response. First in
    MIDDLEWARE, so that every response, also the other middlewares' own, carries it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_of(request)
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every log record (for `%(request_id)s` in formats).

    Django logs a 4xx/5xx ("Not Found: ...") after the middlewares have returned: such records
    carry the request, whose id is used then."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        request_id = getattr(request, "request_id", None) or current_request_id()
        record.request_id = request_id
        return True
