"""The exercise editor in a real headless Chromium against gunicorn, the Celery worker and the
Docker sandbox: create an exercise, see the statement's preview typeset, get a path refused,
break the hidden tests so that a mutant survives (Validate shows it as a failure and Publish
stays disabled), fix them, validate again and publish.

Screenshots go to $TJ_TEST_ARTIFACTS (default var/test-artifacts)/authoring-browser/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from playwright.sync_api import Browser, Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("TJ_TEST_ARTIFACTS", ROOT / "var" / "test-artifacts"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
GATE_TIMEOUT_MS = 240_000

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session_cookie(platform, make_member, settings) -> dict[str, str]:
    """A signed-in author's session (made before the browser starts: no ORM under its loop),
    signed with the web process's secret key so that gunicorn accepts it."""
    settings.SECRET_KEY = platform.env["DJANGO_SECRET_KEY"]
    author = make_member("acme", "author")
    return {
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": author.client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        "url": platform.base_url,
    }


@pytest.fixture
def browser(session_cookie: dict[str, str]) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def shots() -> Path:
    folder = ARTIFACTS / "authoring-browser"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_file(page: Page, path: str) -> None:
    page.click(f'#au-file-list button[data-path="{path}"]')
    expect(page.locator("#au-current-path")).to_have_text(path)


def replace_text(page: Page, text: str) -> None:
    page.click("#au-code .cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)


def initial_text(page: Page, path: str) -> str:
    """A file as the page received it (the editor's DOM holds only the lines on screen)."""
    script = (
        "(path) => JSON.parse(document.getElementById('authoring-data').textContent).files[path]"
    )
    return str(page.evaluate(script, path))


def validate(page: Page, *, until: str) -> None:
    """Click Validate (which saves first) and wait for the gate's verdict `until`."""
    page.click("#au-validate")
    expect(page.locator("#au-validation-status [data-status]")).to_have_attribute(
        "data-status", until, timeout=GATE_TIMEOUT_MS
    )


def test_an_author_writes_validates_fixes_and_publishes_in_the_browser(
    browser, platform, session_cookie, shots
):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    context.add_cookies([session_cookie])
    page = context.new_page()
    page.set_default_timeout(30_000)

    page.goto(f"{platform.base_url}/app/exercises/new")
    page.fill("input[name=slug]", "doubling")
    page.fill("input[name=title]", "Double it")
    page.click("#exercise-new-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/app/exercises/doubling/edit$"))

    # statement.md opens first, beside its preview, which follows the text with KaTeX.
    expect(page.locator("#au-current-path")).to_have_text("statement.md")
    expect(page.locator("#au-preview-body h1")).to_have_text("Double it")
    page.click("#au-code .cm-content")
    page.keyboard.press("Control+End")
    page.keyboard.insert_text("\n\nThe result is $y = 2x$.\n")
    expect(page.locator("#au-preview-body p").last).to_contain_text("The result is")
    expect(page.locator("#au-preview-body p").last.locator(".katex")).to_be_visible()
    expect(page.locator("#au-save-state")).to_have_text("Unsaved changes")
    page.keyboard.press("Control+s")
    expect(page.locator("#au-save-state")).to_contain_text("Saved")
    page.screenshot(path=shots / "1-statement-preview.png")

    # A file outside the package format: the save is refused and the file marked.
    page.fill("#au-file-path", "notes.txt")
    page.click("#au-file-add")
    page.keyboard.insert_text("scratch")
    page.click("#au-save")
    expect(page.locator("#au-file-error")).to_contain_text("notes.txt: top-level files are")
    expect(page.locator('#au-file-list button[data-path="notes.txt"]')).to_have_class(
        re.compile("au-error")
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#au-file-delete")
    expect(page.locator('#au-file-list button[data-path="notes.txt"]')).to_have_count(0)

    # The hidden suite loses its test that inputs are not modified: one mutant survives.
    open_file(page, "tests/hidden/test_hidden.py")
    hidden = initial_text(page, "tests/hidden/test_hidden.py")
    assert "def test_does_not_modify_its_input" in hidden
    replace_text(page, hidden.split("def test_does_not_modify_its_input")[0])
    validate(page, until="failed")
    missed = page.locator('#au-validation-body tr[data-label="mutant doubles_in_place"]')
    expect(missed).to_have_attribute("data-ok", "false")
    expect(missed).to_contain_text("the hidden suite misses it")
    expect(page.locator("#au-validation-body .au-problems")).to_contain_text(
        "mutant doubles_in_place is ACCEPTED: the hidden suite misses it"
    )
    expect(page.locator("#au-publish")).to_be_disabled()
    page.screenshot(path=shots / "2-mutant-missed.png", full_page=True)

    # Fixed: the test is back, the gate passes, Publish opens and makes version 1.
    replace_text(page, hidden)
    page.keyboard.press("Control+s")
    expect(page.locator("#au-save-state")).to_contain_text("Saved")
    expect(page.locator("#au-validation-note")).to_contain_text("the draft changed since")
    validate(page, until="passed")
    expect(page.locator('#au-validation-body tr[data-ok="true"]')).to_have_count(9)
    expect(page.locator("#au-publish")).to_be_enabled()
    page.screenshot(path=shots / "3-validated.png", full_page=True)
    page.click("#au-publish")
    expect(page).to_have_url(re.compile(r"/app/exercises/doubling/versions/1$"))
    expect(page.locator(".iv-messages")).to_contain_text("Published version 1.")
    page.screenshot(path=shots / "4-published.png")
    context.close()
