"""HTTP helpers for the end-to-end tests (a real gunicorn, worker and sandbox)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
FINISHED = {"GRADED", "FAILED"}


def submit(
    base: str, token: str, exercise: str, code: str, suite: str = "hidden"
) -> dict[str, Any]:
    response = requests.post(
        f"{base}/api/v1/submissions",
        timeout=30,
        headers={"Authorization": f"Token {token}"},
        json={"exercise": exercise, "code": code, "suite": suite},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def detail(base: str, token: str, submission_id: str) -> dict[str, Any]:
    response = requests.get(
        f"{base}/api/v1/submissions/{submission_id}",
        timeout=30,
        headers={"Authorization": f"Token {token}"},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def wait_for(
    base: str,
    token: str,
    submission_id: str,
    *,
    statuses: set[str] = FINISHED,
    timeout_s: float = 180.0,
    logs: Callable[[], str] = str,
) -> dict[str, Any]:
    """Poll until the submission's status is one of `statuses`; on timeout, fail with the
    processes' logs as they are then (`logs` is called only at that point)."""
    deadline = time.monotonic() + timeout_s
    while True:
        body = detail(base, token, submission_id)
        if body["status"] in statuses:
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"submission still {body['status']} after {timeout_s} s\n{logs()}")
        time.sleep(0.2)


def events(base: str, token: str, submission_id: str) -> list[tuple[str, dict[str, Any]]]:
    """Read the Server-Sent Events stream to its end: (event name, data) pairs."""
    response = requests.get(
        f"{base}/api/v1/submissions/{submission_id}/events",
        stream=True,
        timeout=180,
        headers={"Authorization": f"Token {token}", "Accept": "text/event-stream"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/event-stream")
    received = []
    name = None
    for line in response.iter_lines(decode_unicode=True):
        if line.startswith("event: "):
            name = line.removeprefix("event: ")
        elif line.startswith("data: ") and name is not None:
            received.append((name, json.loads(line.removeprefix("data: "))))
            name = None
    return received


def source(relative: str) -> str:
    return (ROOT / relative).read_text()
