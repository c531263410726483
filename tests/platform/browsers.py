"""Debian's Chromium under Playwright, for the browser tests (Playwright's own browser download
cannot work here), and where their screenshots go."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connections
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TJ_TEST_ARTIFACTS", ROOT / "var" / "test-artifacts"))
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextmanager
def chromium() -> Iterator[Browser]:
    """A headless Chromium, closed on exit.

    Start it after the database rows a test needs and leave before the database is flushed:
    Playwright's sync API keeps an event loop in this thread while it runs, and Django refuses
    ORM calls under a running loop (unless DJANGO_ALLOW_ASYNC_UNSAFE is set)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        # ORM calls made under the running loop opened connections of their own (Django keeps
        # them per async context); closed here, under the loop, or on PostgreSQL one would
        # hold the test database open past the run. Closing is the one ORM call made here.
        previous = os.environ.get(ASYNC_UNSAFE)
        os.environ[ASYNC_UNSAFE] = "true"
        try:
            connections.close_all()
        finally:
            if previous is None:
                del os.environ[ASYNC_UNSAFE]
            else:
                os.environ[ASYNC_UNSAFE] = previous


def screenshots(name: str) -> Path:
    """The folder for a test file's screenshots, made if needed."""
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
