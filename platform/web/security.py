"""What keeps the candidate's pages and the invitation tokens safe beyond Django's defaults.

- A Content-Security-Policy on every candidate and interviewer page (no inline or foreign
  script can run, the pages cannot be framed, forms only post here). Styles allow inline:
  CodeMirror and KaTeX set style attributes and CodeMirror injects its theme as a <style>.
- Invitation tokens never reach a log: `/a/<token>` is redacted from log records (Django's
  "Not Found: /a/..." warnings) and from gunicorn's access log (config/gunicorn_logging.py).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

# The candidate's pages and the interviewer's: both run only the bundle served from here.
PROTECTED_NAMESPACES = frozenset({"candidate", "interviewer"})
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    ]
)
_TOKEN_IN_PATH = re.compile(r"/a/[^/?#\s\"']+")
# The signed report link (/r/<invitation id>?t=<token>) opens a report without a session.
_REPORT_TOKEN = re.compile(r"(/r/[^?\s\"']+\?(?:[^\s\"'#]*&)?t=)[^&#\s\"']+")


def redact_tokens(text: str) -> str:
    """`text` with every invitation link's token and signed report token replaced by a
    placeholder."""
    return _REPORT_TOKEN.sub(r"\1[redacted]", _TOKEN_IN_PATH.sub("/a/[redacted]", text))


class RedactTokensFilter(logging.Filter):
    """Rewrites a record's message so that no invitation token is written (on every handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_tokens(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


class CandidatePageSecurityMiddleware:
    """Adds the Content-Security-Policy and no-store caching to the candidate's and the
    interviewer's pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if match is not None and PROTECTED_NAMESPACES.intersection(match.namespaces):
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            # Drafts and results are personal: no shared cache keeps them.
            response.setdefault("Cache-Control", "no-store")
            # same-origin, not no-referrer: with no-referrer a form post carries "Origin: null",
            # which fails CSRF checking; no URL here carries a token to leak anyway.
            response.setdefault("Referrer-Policy", "same-origin")
        return response
