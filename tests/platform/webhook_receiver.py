"""A real HTTP server in a thread that receives webhooks, for the tests: it records every
request and answers with the statuses it is scripted to (then `default`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def json(self) -> Any:
        return json.loads(self.body)


class Receiver:
    """`with Receiver([500, 200]) as hook:` posts to `hook.url` get 500, then 200, then
    `default`; `hook.received` lists them. `body` is what each answer carries; `location`
    goes with 3xx answers."""

    def __init__(
        self,
        answers: Iterable[int] = (),
        *,
        default: int = 200,
        body: bytes = b'{"ok": true}',
        location: str = "http://127.0.0.1:9/elsewhere",
    ) -> None:
        self.answers = list(answers)
        self.default = default
        self.body = body
        self.location = location
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/tj"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_status(self) -> int:
        with self._lock:
            return self.answers.pop(0) if self.answers else self.default

    def _record(self, received: Received) -> None:
        with self._lock:
            self.received.append(received)

    def types(self) -> list[str]:
        return [r.json["type"] for r in self.received]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status = receiver._next_status()
                headers = {name.lower(): value for name, value in self.headers.items()}
                receiver._record(Received(self.path, headers, body, status))
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def readme_verify() -> Any:
    """The `verify` function of the README's "Webhooks" section, run as documented."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("\n## Webhooks\n", 1)[1].split("\n## ", 1)[0]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, Any] = {}
    exec(compile(code, "README.md#webhooks", "exec"), namespace)
    return namespace["verify"]
