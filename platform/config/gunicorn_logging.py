"""gunicorn's logger with invitation tokens redacted from the access log (see web.security)."""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from web.security import redact_tokens


class RedactingLogger(Logger):  # type: ignore[misc]
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> dict[str, Any]:
        values: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        # Every string: the request line, path and referer, and the {...}e / {...}i atoms a
        # custom access-log format may name.
        return {
            key: redact_tokens(value) if isinstance(value, str) else value
            for key, value in values.items()
        }
