"""The interviewer's side end to end, in a real headless Chromium against gunicorn, the Celery
worker and the Docker sandbox.

An author creates an exercise, sees the statement's preview typeset, gets a path refused,
breaks the hidden tests so that a mutant survives (Validate shows it as a failure and Publish
stays disabled), fixes them, validates again and publishes; builds an assessment from it and
invites a candidate; the candidate (a second browser context, no account) solves it; a reviewer
(a third context) reads the report with its plots and the candidate's page. A second test
shows the similarity view on a renamed, reformatted copy.

Screenshots go to $TJ_TEST_ARTIFACTS (default var/test-artifacts)/interviewer-browser/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browsers import chromium, screenshots
from django.conf import settings as django_settings
from playwright.sync_api import Browser, Page, expect
from test_similarity_pages import LOOP_BASED, REFERENCE, candidate, disguised

from assessments.services import assessment_create
from bank.models import Exercise

ROOT = Path(__file__).resolve().parents[2]
GATE_TIMEOUT_MS = 240_000

pytestmark = pytest.mark.django_db(transaction=True)


def _cookie(member: Any, base_url: str) -> dict[str, str]:
    return {
        "name": django_settings.SESSION_COOKIE_NAME,
        "value": member.client.cookies[django_settings.SESSION_COOKIE_NAME].value,
        "url": base_url,
    }


@pytest.fixture
def session_cookies(platform, bank, make_member, settings) -> dict[str, dict[str, str]]:
    """Signed-in sessions of an author and a reviewer of one organization (made before the
    browser starts: no ORM under its loop), signed with the web process's secret key so that
    gunicorn accepts them."""
    settings.SECRET_KEY = platform.env["DJANGO_SECRET_KEY"]
    return {
        role: _cookie(make_member("acme", role), platform.base_url)
        for role in ("author", "reviewer")
    }


@pytest.fixture
def browser(session_cookies: dict[str, dict[str, str]]) -> Iterator[Browser]:
    with chromium() as browser:
        yield browser


@pytest.fixture
def shots() -> Path:
    return screenshots("interviewer-browser")


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


def test_author_publishes_invites_a_candidate_who_solves_it_and_a_reviewer_reads_the_report(
    browser, platform, session_cookies, shots
):
    session_cookie = session_cookies["author"]
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

    # An assessment of the new exercise, and one candidate invited.
    page.goto(f"{platform.base_url}/app/assessments/new")
    page.fill("input[name=title]", "Doubling screen")
    page.fill("input[name=duration_minutes]", "30")
    page.check('input[aria-label="Use doubling"]')
    page.click("#assessment-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/app/assessments/\d+$"))
    assessment_url = page.url
    page.fill("#invite-one input[name=name]", "Grace Hopper")
    page.fill("#invite-one input[name=email]", "grace@candidates.test")
    page.click("#invite-one button[type=submit]")
    link = page.locator("#new-links input[data-link]").first.input_value()
    assert "/a/" in link
    page.screenshot(path=shots / "5-invited.png", full_page=True)
    context.close()

    # The candidate, in a browser of their own: start, write the solution, submit, finish.
    candidate = browser.new_context(viewport={"width": 1440, "height": 900})
    work = candidate.new_page()
    work.set_default_timeout(30_000)
    work.goto(link)
    expect(work.locator("h1")).to_have_text("Doubling screen")
    work.click("#start-button")
    expect(work).to_have_url(re.compile(r"/attempt/steps/1$"))
    work.click("#editor .cm-content")
    work.keyboard.press("Control+A")
    work.keyboard.press("Delete")
    work.keyboard.insert_text("def double(x):\n    return x + x\n")
    work.keyboard.press("Control+Shift+Enter")  # Submit: the hidden suite
    expect(work.locator("#progress")).to_have_attribute(
        "data-state", "done", timeout=GATE_TIMEOUT_MS
    )
    expect(work.locator("#verdict")).to_have_text("ACCEPTED")
    work.screenshot(path=shots / "6-candidate-accepted.png")
    work.once("dialog", lambda dialog: dialog.accept())
    work.click("#finish-button")
    expect(work.locator("body")).to_contain_text("finished")
    candidate.close()

    # A reviewer of the organization reads the report: plots, the table, the candidate's page.
    reviewer = browser.new_context(viewport={"width": 1440, "height": 1000})
    reviewer.add_cookies([session_cookies["reviewer"]])
    read = reviewer.new_page()
    read.set_default_timeout(30_000)
    read.goto(f"{assessment_url}/report")
    expect(read.locator(".iv-plots svg")).to_have_count(3)
    row = read.locator(".iv-report-table tbody tr", has_text="Grace Hopper")
    expect(row).to_contain_text("100.0")
    expect(row).to_contain_text("Submitted")
    read.screenshot(path=shots / "7-assessment-report.png", full_page=True)
    row.locator("a", has_text="Grace Hopper").click()
    expect(read.locator("body")).to_contain_text("ACCEPTED")
    expect(read.locator("body")).to_contain_text("return x + x")
    read.screenshot(path=shots / "8-candidate-report.png", full_page=True)
    reviewer.close()


@pytest.fixture
def cohort(bank, make_member) -> dict[str, Any]:
    """Three candidates of one kmeans assessment: the reference, a renamed and reformatted copy
    of it, an independent loop-based solution (graded rows: grading is tested elsewhere)."""
    organization = make_member("acme", "owner").organization
    kmeans = Exercise.objects.get(slug="kmeans")
    assessment = assessment_create(
        organization=organization, title="Clustering", duration_minutes=60, steps=[kmeans]
    )
    return {
        "ada": candidate(assessment, "Ada", REFERENCE, kmeans),
        "eve": candidate(assessment, "Eve", disguised(REFERENCE), kmeans),
        "bob": candidate(assessment, "Bob", LOOP_BASED, kmeans),
    }


def test_the_similarity_view_flags_a_disguised_copy_and_shows_it_side_by_side(
    cohort, browser, platform, session_cookies, shots
):
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.add_cookies([session_cookies["reviewer"]])
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{platform.base_url}/app/similarity/")
    pairs = page.locator("table tbody tr")
    expect(pairs).to_have_count(1)  # Ada and Eve; Bob's own work is not listed
    expect(pairs.first).to_contain_text("Ada")
    expect(pairs.first).to_contain_text("Eve")
    page.screenshot(path=shots / "9-similarity.png", full_page=True)
    pairs.first.locator("a", has_text="Side by side").click()
    expect(page.locator("body")).to_contain_text("never a verdict")
    expect(page.locator("tr.iv-match").first).to_be_visible()
    page.screenshot(path=shots / "10-similarity-pair.png", full_page=True)
    context.close()
