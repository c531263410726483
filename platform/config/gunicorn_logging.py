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
        redacted = {
            key: redact_tokens(value) if isinstance(value, str) else value
            for key, value in values.items()
        }
        # The query string alone (the "q" atom, and {query_string}e) has no path to tell a
        # signed report link by: redact it through the path it belongs to.
        query = values.get("q")
        if isinstance(query, str) and query:
            path = str(values.get("U", ""))
            safe = redact_tokens(f"{path}?{query}").partition("?")[2]
            for key, value in values.items():
                if value == query:
                    redacted[key] = safe
        return redacted
