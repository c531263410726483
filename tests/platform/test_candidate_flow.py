"""The candidate's side on the server: the link and its token, the clock, drafts and answers,
run/submit limits, and what the pages may never contain. Real database, Django's test client
(the browser itself is driven in test_candidate_browser.py)."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assessments.models import Invitation
from assessments.services import assessment_create, invitation_create
from bank.models import Exercise, Question
from submissions.models import Submission

pytestmark = pytest.mark.django_db

CANARIES = ["HIDDEN-CANARY-3f7a", "REFERENCE-CANARY-5b1e", "MUTANT-CANARY-9c2d"]
GOOD_DOUBLE = "def double(x):\n    return x + x\n"


@pytest.fixture
def invited(bank):
    """An invitation to canary, arith and the three fixture questions; returns (invitation,
    token)."""
    steps = [
        Exercise.objects.get(slug="canary"),
        Question.objects.get(slug="early-stopping-signal"),
        Question.objects.get(slug="imbalance-remedies"),
        Question.objects.get(slug="loss-scaling-why"),
        Exercise.objects.get(slug="arith"),
    ]
    assessment = assessment_create(title="Screen", duration_minutes=45, steps=steps)
    return invitation_create(
        assessment=assessment, candidate_name="Ada", candidate_email="ada@example.com"
    )


def started(token: str) -> Client:
    client = Client()
    assert client.get(f"/a/{token}").status_code == 302
    assert client.post("/attempt/start").status_code == 302
    return client


def post_json(client: Client, url: str, data: object):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_an_unknown_token_gets_a_clear_page_and_opens_nothing(invited):
    client = Client()
    response = client.get("/a/" + "x" * 43)
    assert response.status_code == 404
    assert b"This link is not valid" in response.content
    assert client.get("/attempt/").status_code == 403


def test_an_expired_link_says_so(bank):
    assessment = assessment_create(title="Old", duration_minutes=10, steps=[])
    _, token = invitation_create(
        assessment=assessment,
        candidate_name="Bo",
        candidate_email="bo@example.com",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    response = Client().get(f"/a/{token}")
    assert response.status_code == 410
    assert b"expired" in response.content
    assert Invitation.objects.get().status == Invitation.Status.EXPIRED


def test_the_token_is_stored_only_as_its_hash(invited):
    invitation, token = invited
    assert len(token) >= 43  # 32 random bytes, URL-safe base64
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    row = Invitation.objects.filter(id=invitation.id).values().get()
    assert all(token not in str(value) for value in row.values())


def test_the_link_shows_the_intro_and_the_first_start_fixes_the_deadline(invited):
    invitation, token = invited
    client = Client()
    response = client.get(f"/a/{token}")
    assert response["Location"] == "/attempt/"  # the token's URL is left at once
    intro = client.get("/attempt/")
    assert intro.status_code == 200
    assert b"45 minutes" in intro.content and b"Start the assessment" in intro.content
    assert client.post("/attempt/start")["Location"] == "/attempt/steps/1"
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED
    assert invitation.deadline == invitation.started_at + timedelta(minutes=45)
    first_deadline = invitation.deadline
    other_browser = started(token)  # starting again elsewhere moves nothing
    invitation.refresh_from_db()
    assert invitation.deadline == first_deadline
    assert other_browser.get("/attempt/")["Location"] == "/attempt/steps/1"


def test_a_draft_survives_a_reload_and_a_new_browser(invited):
    _, token = invited
    code = "def double(x):\n    return 2 * x  # draft ✓\n"
    response = post_json(started(token), "/attempt/steps/1/draft", {"code": code})
    assert response.status_code == 200, response.content
    assert "saved_at" in response.json()
    page = started(token).get("/attempt/steps/1")  # another browser, same link
    initial = re.search(
        rb'<script id="initial-code" type="application/json">(.*?)</script>', page.content, re.S
    )
    assert initial is not None and json.loads(initial.group(1)) == code


def test_the_exercise_page_has_the_statement_the_editor_and_the_starter(invited):
    _, token = invited
    page = started(token).get("/attempt/steps/1")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="statement"' in html and 'id="editor"' in html
    assert "double(2) is 4" in html  # the public test file is shown
    assert 'data-deadline="' in html


def test_after_the_deadline_nothing_is_accepted_and_the_page_says_why(invited):
    invitation, token = invited
    client = started(token)
    Invitation.objects.filter(id=invitation.id).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    draft = post_json(client, "/attempt/steps/1/draft", {"code": GOOD_DOUBLE})
    assert draft.status_code == 403
    assert "The time is up" in draft.json()["error"]
    submit = post_json(
        client, "/attempt/steps/1/submissions", {"code": GOOD_DOUBLE, "suite": "hidden"}
    )
    assert submit.status_code == 403 and "The time is up" in submit.json()["error"]
    assert client.get("/attempt/steps/1")["Location"] == "/attempt/"
    finished = client.get("/attempt/")
    assert b"The time is up" in finished.content
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SUBMITTED
    assert invitation.finish_reason == "the time ran out"
    assert not Submission.objects.exists()


def test_finishing_ends_the_attempt(invited):
    invitation, token = invited
    client = started(token)
    assert client.post("/attempt/finish")["Location"] == "/attempt/"
    refused = post_json(client, "/attempt/steps/1/draft", {"code": GOOD_DOUBLE})
    assert refused.status_code == 403 and "finished" in refused.json()["error"]
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SUBMITTED


def test_run_and_submit_go_through_the_submission_service(invited):
    invitation, token = invited
    client = started(token)
    run = post_json(
        client, "/attempt/steps/1/submissions", {"code": GOOD_DOUBLE, "suite": "public"}
    )
    assert run.status_code == 201, run.content
    created = Submission.objects.get(id=run.json()["id"])
    assert created.owner == invitation.candidate and created.suite == "public"
    assert created.status == Submission.Status.QUEUED
    assert run.json()["events_url"].endswith("/events")
    history = client.get("/attempt/steps/1/submissions").json()["submissions"]
    assert [s["id"] for s in history] == [str(created.id)]
    assert client.get("/attempt/steps/5/submissions").json()["submissions"] == []
    detail = client.get(run.json()["url"]).json()
    assert detail["code"] == GOOD_DOUBLE and detail["status"] == "QUEUED"
    # Another candidate cannot read it.
    _, other_token = invitation_create(
        assessment=invitation.assessment, candidate_name="Eve", candidate_email="e@example.com"
    )
    assert started(other_token).get(run.json()["url"]).status_code == 404


def test_more_than_the_limit_per_minute_gets_a_friendly_429(invited, settings):
    settings.SUBMISSIONS_PER_MINUTE = 3
    _, token = invited
    client = started(token)
    url = "/attempt/steps/1/submissions"
    codes = [
        post_json(client, url, {"code": GOOD_DOUBLE, "suite": "public"}).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 201]
    limited = post_json(client, url, {"code": GOOD_DOUBLE, "suite": "hidden"})
    assert limited.status_code == 429
    assert "3 times in the last minute" in limited.json()["error"]
    assert 1 <= int(limited["Retry-After"]) <= 61
    assert Submission.objects.count() == 3


def test_code_over_256_kb_is_refused_with_its_size(invited):
    _, token = invited
    client = started(token)
    big = "x = 1\n" * 50_000  # 300,000 bytes
    for url, body in [
        ("/attempt/steps/1/draft", {"code": big}),
        ("/attempt/steps/1/submissions", {"code": big, "suite": "hidden"}),
    ]:
        response = post_json(client, url, body)
        assert response.status_code == 413
        assert "300000 bytes; the limit is 262144 bytes (256 KB)" in response.json()["error"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "must be JSON"),
        (b"[1, 2]", "must be a JSON object"),
        (b'{"code": 3}', "'code' must be a str"),
    ],
)
def test_bad_input_gets_an_error_that_names_the_problem(invited, body, message):
    _, token = invited
    response = started(token).post("/attempt/steps/1/draft", body, content_type="application/json")
    assert response.status_code == 400 and message in response.json()["error"]


def test_a_bad_suite_or_a_missing_step_is_named(invited):
    _, token = invited
    client = started(token)
    bad_suite = post_json(client, "/attempt/steps/1/submissions", {"code": "x", "suite": "all"})
    assert "'suite' must be one of hidden, public" in bad_suite.json()["error"]
    missing = post_json(client, "/attempt/steps/9/draft", {"code": "x"})
    assert missing.status_code == 400 and "no step 9" in missing.json()["error"]
    question = post_json(client, "/attempt/steps/2/submissions", {"code": "x", "suite": "hidden"})
    assert "Only an exercise" in question.json()["error"]


def test_answers_are_checked_then_saved_and_shown_again(invited):
    _, token = invited
    client = started(token)
    assert post_json(client, "/attempt/steps/2/answer", {"choices": [1]}).status_code == 200
    two = post_json(client, "/attempt/steps/2/answer", {"choices": [0, 1]})
    assert two.status_code == 400 and "one choice" in two.json()["error"]
    out_of_range = post_json(client, "/attempt/steps/3/answer", {"choices": [0, 99]})
    assert out_of_range.status_code == 400 and "from 0 to" in out_of_range.json()["error"]
    assert post_json(client, "/attempt/steps/3/answer", {"choices": [2, 0]}).status_code == 200
    text = post_json(client, "/attempt/steps/4/answer", {"text": "fp16 underflows"})
    assert text.status_code == 200
    wrong_kind = post_json(client, "/attempt/steps/4/answer", {"choices": [0]})
    assert "written answer" in wrong_kind.json()["error"]
    page = client.get("/attempt/steps/3").content.decode()
    assert page.count("checked") == 2
    assert "fp16 underflows" in client.get("/attempt/steps/4").content.decode()
    sidebar = client.get("/attempt/steps/1").content.decode()
    assert sidebar.count("state-answered") == 3


def test_every_form_needs_the_csrf_token(invited):
    _, token = invited
    client = Client(enforce_csrf_checks=True)
    client.get(f"/a/{token}")
    assert client.post("/attempt/start").status_code == 403
    page = client.get("/attempt/")
    csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1)
    assert client.post("/attempt/start", {"csrfmiddlewaretoken": csrf.decode()}).status_code == 302
    no_header = post_json(client, "/attempt/steps/1/draft", {"code": "x"})
    assert no_header.status_code == 403


def test_candidate_pages_carry_a_strict_content_security_policy(invited):
    _, token = invited
    client = started(token)
    for url in ["/attempt/", "/attempt/steps/1", "/attempt/steps/2", "/a/unknown-token-123456789"]:
        response = client.get(url, follow=True)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert "unsafe-eval" not in policy
    assert client.get("/attempt/steps/1")["Cache-Control"] == "no-store"


def test_no_candidate_page_or_response_contains_hidden_tests_mutants_reference_or_keys(invited):
    _, token = invited
    client = started(token)
    run = post_json(
        client, "/attempt/steps/1/submissions", {"code": GOOD_DOUBLE, "suite": "hidden"}
    )
    bodies = {"POST submissions": run.content}
    urls = [f"/attempt/steps/{n}" for n in range(1, 6)] + [
        "/attempt/steps/1/submissions",
        run.json()["url"],
        "/attempt/",
    ]
    for url in urls:
        bodies[url] = client.get(url, follow=True).content
    answer_keys = [
        q.current_version.texts["en"].get("explanation")
        or q.current_version.texts["en"]["model_answer"]
        for q in Question.objects.all()
    ]
    for url, body in bodies.items():
        for secret in CANARIES + [key.strip()[:60] for key in answer_keys]:
            assert secret.encode() not in body, f"{secret!r} leaked in {url}"


def test_an_invitation_made_in_the_admin_shows_its_link_once_and_the_link_works(bank):
    from django.contrib.auth import get_user_model

    steps = [Exercise.objects.get(slug="arith")]
    assessment = assessment_create(title="Admin-made", duration_minutes=20, steps=steps)
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", "pw-123456")
    client = Client()
    client.force_login(admin)
    response = client.post(
        "/admin/assessments/invitation/add/",
        {
            "assessment": assessment.id,
            "candidate_name": "Lin",
            "candidate_email": "lin@example.com",
            "expires_at_0": (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d"),
            "expires_at_1": "12:00:00",
        },
        follow=True,
    )
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    link = next(re.search(r"http://testserver(/a/\S+)", m) for m in shown if "/a/" in m)
    invitation = Invitation.objects.get(candidate_email="lin@example.com")
    assert invitation.candidate.has_usable_password() is False
    candidate = Client()
    assert candidate.get(link.group(1))["Location"] == "/attempt/"
    assert b"Admin-made" in candidate.get("/attempt/").content
    # The change page never shows the link again (only its hash is stored).
    change = client.get(f"/admin/assessments/invitation/{invitation.id}/change/")
    assert link.group(1).encode() not in change.content
