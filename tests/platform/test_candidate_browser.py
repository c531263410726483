"""The candidate's side in a real headless Chromium (Debian's, driven by Playwright), against
a real gunicorn, Celery worker, Redis and Docker sandbox: open the link, start, type a correct
kmeans, Run, Submit (progress on the way, ACCEPTED at the end), reload (the draft is there),
answer a question, then let the deadline pass (nothing more is accepted).

Screenshots go to $TJ_TEST_ARTIFACTS (default var/test-artifacts)/candidate-browser/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from browsers import chromium, screenshots
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from assessments.models import Draft, Invitation
from assessments.services import assessment_create, invitation_create
from bank.models import Exercise, Question

ROOT = Path(__file__).resolve().parents[2]
GRADING_TIMEOUT_MS = 180_000

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def browser(invitation_link: tuple[Invitation, str]) -> Iterator[Browser]:
    """Started after the database rows it needs, stopped before the database is flushed:
    Playwright's sync API keeps an event loop in this thread while it runs, and Django
    refuses ORM calls under a running loop (DJANGO_ALLOW_ASYNC_UNSAFE is set for the one
    update the test makes in between)."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def shots() -> Path:
    return screenshots("candidate-browser")


@pytest.fixture
def invitation_link(platform, bank, monkeypatch) -> tuple[Invitation, str]:
    # Playwright's sync API runs an event loop in this thread; the test's one ORM call during
    # the browser's life happens between browser calls, never inside one.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assessment = assessment_create(
        title="ML screen",
        intro="Minimize $\\sum_i \\lVert x_i - \\mu_{c(i)} \\rVert^2$ first.",
        duration_minutes=30,
        steps=[
            Exercise.objects.get(slug="kmeans"),
            Question.objects.get(slug="early-stopping-signal"),
        ],
    )
    invitation, token = invitation_create(
        assessment=assessment, candidate_name="Grace", candidate_email="grace@example.com"
    )
    return invitation, f"{platform.base_url}/a/{token}"


def editor_text(page: Page) -> str:
    return str(page.evaluate("window.tjEditor.state.doc.toString()"))


def replace_editor_text(page: Page, text: str) -> None:
    page.click("#editor .cm-content")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(text)  # as the browser's own text input, like a paste


def test_a_candidate_solves_kmeans_in_the_browser(browser, platform, invitation_link, shots):
    invitation, link = invitation_link
    solution = (ROOT / "exercises" / "kmeans" / "solution.py").read_text()
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)

    page.goto(link)
    expect(page).to_have_url(re.compile(r"/attempt/$"))  # the token's URL is left at once
    expect(page.locator("h1")).to_have_text("ML screen")
    expect(page.locator(".tj-prose .katex").first).to_be_visible()  # math typeset by KaTeX
    page.screenshot(path=shots / "1-intro.png")
    page.click("#start-button")

    expect(page).to_have_url(re.compile(r"/attempt/steps/1$"))
    expect(page.locator("#statement h1")).to_contain_text("K-Means")
    expect(page.locator("#timer")).to_have_text(re.compile(r"\d+:\d\d"))
    starter = editor_text(page)
    assert "def kmeans" in starter

    replace_editor_text(page, solution)
    assert editor_text(page) == solution
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=15_000)

    page.keyboard.press("Control+Enter")  # Run: the public tests
    expect(page.locator("#progress")).to_have_attribute(
        "data-state", "done", timeout=GRADING_TIMEOUT_MS
    )
    expect(page.locator("#verdict")).to_have_text("ACCEPTED")
    expect(page.locator("#results")).to_contain_text("Public tests")
    page.screenshot(path=shots / "2-before-submit.png")

    page.click("#submit-button")
    expect(page.locator("#progress")).to_have_attribute(
        "data-state", "running", timeout=GRADING_TIMEOUT_MS
    )
    expect(page.locator("#progress")).to_contain_text(re.compile(r"Running \d+/\d+"))
    expect(page.locator("#progress")).to_have_attribute(
        "data-state", "done", timeout=GRADING_TIMEOUT_MS
    )
    expect(page.locator("#verdict")).to_have_text("ACCEPTED")
    expect(page.locator("#results")).to_contain_text("Hidden tests")
    expect(page.locator("#results")).to_contain_text("× the reference")
    page.screenshot(path=shots / "3-after-submit.png", full_page=True)
    expect(page.locator("#history li")).to_have_count(2)
    expect(page.locator(".tj-item.current .tj-state")).to_have_text("Accepted")

    page.reload()
    assert editor_text(page) == solution  # the draft came back from the server
    expect(page.locator(".tj-item.current .tj-state")).to_have_text("Accepted")

    other = browser.new_context().new_page()  # a new browser: same link, same draft
    other.goto(link)
    other.goto(f"{platform.base_url}/attempt/steps/1")
    other.wait_for_function("window.tjEditor !== undefined")
    assert editor_text(other) == solution
    other.context.close()

    page.click(".tj-item >> nth=1")
    expect(page).to_have_url(re.compile(r"/attempt/steps/2$"))
    page.check("input[name=choice][value='1']")
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=15_000)
    page.reload()
    expect(page.locator("input[name=choice][value='1']")).to_be_checked()
    page.screenshot(path=shots / "4-question.png")

    # "Finish" asks first: dismissing keeps the attempt open.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#finish-button")
    expect(page).to_have_url(re.compile(r"/attempt/steps/2$"))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED

    # The deadline passes: the page says so and the server refuses a submit.
    Invitation.objects.filter(id=invitation.id).update(
        deadline=timezone.now() + timedelta(seconds=4)
    )
    page.goto(f"{platform.base_url}/attempt/steps/1")
    expect(page.locator("#timer")).to_have_text("Time is up", timeout=15_000)
    expect(page.locator("#closed-reason")).to_contain_text("The time is up", timeout=15_000)
    page.screenshot(path=shots / "5-time-is-up.png")
    refused = page.evaluate(
        """async () => {
            const r = await fetch('/attempt/steps/1/submissions', {
                method: 'POST',
                headers: {'Content-Type': 'application/json',
                          'X-CSRFToken': document.querySelector('meta[name=csrf-token]').content},
                body: JSON.stringify({code: 'x = 1', suite: 'hidden'})});
            return [r.status, (await r.json()).error];
        }"""
    )
    assert refused[0] == 403 and "The time is up" in refused[1]
    context.close()

    web_log = platform.web.log_path.read_text(errors="replace")
    assert "GET /a/[redacted]" in web_log  # the access log is on, and redacted
    assert link.rsplit("/", 1)[1] not in web_log


def test_a_failed_save_says_so_retries_and_loses_nothing(browser, platform, invitation_link):
    invitation, link = invitation_link
    page = browser.new_context().new_page()
    page.set_default_timeout(30_000)
    page.goto(link)
    page.click("#start-button")
    page.wait_for_function("window.tjEditor !== undefined")

    # The network between the page and the server fails: every draft save is dropped.
    page.route("**/draft", lambda route: route.abort("connectionreset"))
    replace_editor_text(page, "def kmeans(X, k):\n    return 'typed while offline'\n")
    expect(page.locator("#save-status")).to_contain_text("Not saved — retrying", timeout=15_000)
    assert not Draft.objects.filter(invitation=invitation).exists()

    page.unroute("**/draft")  # back online: the retry lands, with the latest text
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=40_000)
    assert Draft.objects.get(invitation=invitation).code.endswith("'typed while offline'\n")

    # Typed while offline, then the page is reloaded (still offline): the browser's own copy
    # comes back into the editor, and reaches the server once the network does.
    page.route("**/draft", lambda route: route.abort("connectionreset"))
    replace_editor_text(page, "# the last words\n")
    expect(page.locator("#save-status")).to_contain_text("Not saved", timeout=15_000)
    page.reload()
    page.wait_for_function("window.tjEditor !== undefined")
    assert editor_text(page) == "# the last words\n"
    assert "last words" not in Draft.objects.get(invitation=invitation).code
    page.unroute("**/draft")
    expect(page.locator("#save-status")).to_contain_text("Saved", timeout=40_000)
    assert Draft.objects.get(invitation=invitation).code == "# the last words\n"
    page.context.close()
