"""The Greenhouse Assessment Partner endpoints (api.greenhouse): HTTP Basic with an API key,
list_tests, send_test (through the REST API's invitation service), test_status (complete =
graded, the signed report link, the total) and response_error; another organization's key
reaches nothing."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from assessments.models import Invitation
from assessments.reports import assessment_report
from assessments.services import assessment_create, invitation_create
from bank.models import Exercise, Question
from submissions.models import Submission, SubmissionTest

pytestmark = pytest.mark.django_db

PROFILE = "https://app.greenhouse.io/people/5345178?application_id=5699620"


def basic(raw_key: str, password: str = "") -> str:
    return "Basic " + base64.b64encode(f"{raw_key}:{password}".encode()).decode()


def greenhouse_client(raw_key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=basic(raw_key))
    return client


@pytest.fixture
def acme(bank: Any, make_api_key: Any) -> dict[str, Any]:
    """Acme's key (scope invite) as Greenhouse uses it, an assessment of two steps and one
    without steps."""
    key, raw, _ = make_api_key("acme", ("invite",))
    organization = key.organization
    screen = assessment_create(
        organization=organization,
        title="ML engineer screen",
        duration_minutes=60,
        steps=[
            (Exercise.objects.get(slug="arith"), 3),
            Question.objects.get(slug="early-stopping-signal"),
        ],
    )
    empty = assessment_create(
        organization=organization, title="Not ready yet", duration_minutes=30, steps=[]
    )
    return {
        "key": key,
        "raw": raw,
        "client": greenhouse_client(raw),
        "screen": screen,
        "empty": empty,
    }


def send_test(client: APIClient, test_id: Any, **overrides: Any) -> Any:
    body = {
        "partner_test_id": str(test_id),
        "candidate": {
            "first_name": "Kate",
            "last_name": "Austen",
            "email": "kate@candidates.test",
            "resume_url": None,
            "phone_number": "123-456-7890",
            "greenhouse_profile_url": PROFILE,
        },
        "url": "https://ats.example.com/hooks/tensorjudge",
    }
    body.update(overrides)
    return client.post("/api/greenhouse/send_test", body, format="json")


def status_of(client: APIClient, interview_id: Any) -> Any:
    return client.get("/api/greenhouse/test_status", {"partner_interview_id": str(interview_id)})


# -- Authentication ------------------------------------------------------------------------------


def test_the_api_key_as_basic_username_with_an_empty_password_is_accepted(acme):
    response = acme["client"].get("/api/greenhouse/list_tests")
    assert response.status_code == 200, response.content


def test_a_missing_or_wrong_key_gets_401_with_a_basic_challenge_and_a_json_message(acme):
    anonymous = APIClient().get("/api/greenhouse/list_tests")
    wrong = greenhouse_client("tj_00000000_not-a-key").get("/api/greenhouse/list_tests")
    garbled = APIClient()
    garbled.credentials(HTTP_AUTHORIZATION="Basic ***not base64***")
    for response in (anonymous, wrong, garbled.get("/api/greenhouse/list_tests")):
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Basic realm="greenhouse"'
        body = response.json()
        assert body["error"]["code"] in ("not_authenticated", "authentication_failed")
        assert body["message"] == body["error"]["message"] and body["message"]


def test_a_revoked_key_is_refused(acme):
    from accounts.api_keys import api_key_revoke

    api_key_revoke(key=acme["key"], actor=None)
    assert acme["client"].get("/api/greenhouse/list_tests").status_code == 401


def test_a_bearer_key_works_too(acme):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {acme['raw']}")
    assert client.get("/api/greenhouse/list_tests").status_code == 200


def test_a_read_only_key_lists_tests_but_cannot_send_one(acme, make_api_key):
    _, raw, _ = make_api_key("acme", ("read",))
    reader = greenhouse_client(raw)
    assert reader.get("/api/greenhouse/list_tests").status_code == 200
    response = send_test(reader, acme["screen"].id)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not Invitation.objects.exists()


# -- list_tests ----------------------------------------------------------------------------------


def test_list_tests_shows_the_organizations_assessments_that_have_steps(acme, make_api_key):
    other_key, _, _ = make_api_key("bravo", ("admin",))
    assessment_create(
        organization=other_key.organization,
        title="Bravo's secret screen",
        duration_minutes=30,
        steps=[Exercise.objects.get(slug="arith")],
    )
    response = acme["client"].get("/api/greenhouse/list_tests")
    assert response.json() == [
        {"partner_test_id": str(acme["screen"].id), "partner_test_name": "ML engineer screen"}
    ]


# -- send_test -----------------------------------------------------------------------------------


def test_send_test_invites_the_candidate_through_the_api_service(acme):
    response = send_test(acme["client"], acme["screen"].id)
    assert response.status_code == 200, response.content
    interview_id = response.json()["partner_interview_id"]
    assert set(response.json()) == {"partner_interview_id"}
    invitation = Invitation.objects.get(id=interview_id)
    assert invitation.assessment == acme["screen"]
    assert invitation.candidate_name == "Kate Austen"
    assert invitation.candidate_email == "kate@candidates.test"
    assert invitation.external_id == PROFILE
    assert invitation.callback_url == "https://ats.example.com/hooks/tensorjudge"
    assert invitation.invited_by == acme["key"].user
    # Emailed like every invitation, and recorded in the audit trail.
    (email,) = mail.outbox
    assert email.to == ["kate@candidates.test"]
    assert "/a/" in email.body
    assert AuditEvent.objects.filter(
        action="invitation.create", target_id=str(invitation.id)
    ).exists()


def test_send_test_sent_twice_for_the_same_application_invites_once(acme):
    first = send_test(acme["client"], acme["screen"].id).json()
    again = send_test(acme["client"], acme["screen"].id)
    assert again.status_code == 200
    assert again.json() == first
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_send_test_without_a_profile_url_keeps_the_application_id(acme):
    response = send_test(
        acme["client"],
        acme["screen"].id,
        candidate={"first_name": "Ana", "email": "ana@candidates.test"},
        application={"id": 10001},
        url=None,
    )
    assert response.status_code == 200, response.content
    invitation = Invitation.objects.get(id=response.json()["partner_interview_id"])
    assert invitation.candidate_name == "Ana"
    assert invitation.external_id == "greenhouse-application-10001"
    assert invitation.callback_url == ""


def test_send_test_refuses_an_unknown_test_or_another_organizations(acme, make_api_key):
    other_key, _, _ = make_api_key("bravo", ("admin",))
    theirs = assessment_create(
        organization=other_key.organization,
        title="Bravo's screen",
        duration_minutes=30,
        steps=[Exercise.objects.get(slug="arith")],
    )
    for test_id in (theirs.id, acme["empty"].id, 999999, "abc"):
        response = send_test(acme["client"], test_id)
        assert response.status_code == 404, (test_id, response.content)
        body = response.json()
        assert body["error"]["code"] == "not_found"
        assert "list_tests" in body["message"]
    assert not Invitation.objects.exists()


def test_send_test_names_invalid_fields(acme):
    response = send_test(
        acme["client"],
        acme["screen"].id,
        candidate={"first_name": "", "email": "not-an-email"},
        url="ftp://example.com/x",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "validation_error"
    assert set(body["error"]["fields"]) == {"candidate.first_name", "candidate.email", "url"}
    assert body["message"]
    assert not Invitation.objects.exists()


def test_send_test_for_a_candidate_already_invited_from_elsewhere_is_a_conflict(acme):
    invitation_create(
        assessment=acme["screen"],
        candidate_name="Kate Austen",
        candidate_email="kate@candidates.test",
    )
    response = send_test(acme["client"], acme["screen"].id)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_invited"
    assert Invitation.objects.count() == 1


# -- test_status ---------------------------------------------------------------------------------


def _sent(acme: dict[str, Any]) -> Invitation:
    response = send_test(acme["client"], acme["screen"].id)
    return Invitation.objects.get(id=response.json()["partner_interview_id"])


def _start(invitation: Invitation, *, finished: bool) -> None:
    start = timezone.now() - timedelta(minutes=50)
    Invitation.objects.filter(id=invitation.id).update(
        status=Invitation.Status.SUBMITTED if finished else Invitation.Status.STARTED,
        started_at=start,
        deadline=start + timedelta(minutes=60),
        finished_at=start + timedelta(minutes=45) if finished else None,
    )


def _submission(invitation: Invitation, *, status: str, score: float | None = None) -> Submission:
    graded = status == Submission.Status.GRADED
    submission = Submission.objects.create(
        owner=invitation.candidate,
        exercise_version=Exercise.objects.get(slug="arith").current_version,
        code="def add(a, b):\n    return a + b\n",
        suite=Submission.Suite.HIDDEN,
        status=status,
        verdict="WRONG_ANSWER" if graded else None,
        score=score if graded else None,
        report={"verdict": "WRONG_ANSWER", "score": score, "tests": []} if graded else None,
    )
    if graded:
        SubmissionTest.objects.create(
            submission=submission,
            position=0,
            nodeid="tests/hidden/test_x.py::test_add",
            name="test_add",
            outcome="failed",
            weight=1,
            points=0,
            max_points=1,
            duration_s=0.1,
            visible=False,
        )
    return submission


def test_a_test_not_started_is_not_started_without_a_profile_or_score(acme):
    invitation = _sent(acme)
    response = status_of(acme["client"], invitation.id)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["partner_status"] == "not_started"
    assert "partner_profile_url" not in body and "partner_score" not in body
    assert body["metadata"]["Assessment"] == "ML engineer screen"
    assert body["metadata"]["Status"] == "invited"
    assert all(not isinstance(value, dict | list) for value in body["metadata"].values())
    assert None not in body["metadata"].values()


def test_a_started_test_is_in_progress_with_a_report_link_that_opens_without_an_account(acme):
    invitation = _sent(acme)
    _start(invitation, finished=False)
    body = status_of(acme["client"], invitation.id).json()
    assert body["partner_status"] == "in_progress"
    assert "partner_score" not in body
    link = urlsplit(body["partner_profile_url"])
    assert link.scheme == "http" and link.netloc == "testserver"
    page = Client().get(f"{link.path}?{link.query}")
    assert page.status_code == 200
    assert "Kate Austen" in page.content.decode()
    tampered = Client().get(f"{link.path}?{link.query}x")
    assert tampered.status_code == 404


def test_a_submitted_test_is_grading_until_its_last_hidden_submission_is_graded(acme):
    invitation = _sent(acme)
    _start(invitation, finished=True)
    running = _submission(invitation, status=Submission.Status.RUNNING)
    body = status_of(acme["client"], invitation.id).json()
    assert body["partner_status"] == "grading"
    assert "partner_score" not in body  # not final yet
    assert body["metadata"]["Status"] == "submitted"

    Submission.objects.filter(id=running.id).update(
        status=Submission.Status.GRADED, verdict="WRONG_ANSWER", score=40.0
    )
    body = status_of(acme["client"], invitation.id).json()
    assert body["partner_status"] == "complete"
    # The total of the interviewer's report: arith (weight 3) at 40, the question unanswered.
    (row,) = assessment_report(acme["screen"]).rows
    assert row.total == 30.0
    assert body["partner_score"] == row.total
    assert body["partner_profile_url"]
    metadata = body["metadata"]
    assert metadata["Status"] == "graded"
    assert metadata["Time Spent (minutes)"] == 45.0
    assert metadata["Provisional Score"] is False
    assert metadata["Step 1: arith"] == 40.0
    assert metadata["Step 2: early-stopping-signal"] == 0.0
    assert metadata["Report for members"].endswith(f"/app/candidates/{invitation.id}")


def test_expired_and_revoked_tests_say_so(acme):
    invitation = _sent(acme)
    Invitation.objects.filter(id=invitation.id).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    assert status_of(acme["client"], invitation.id).json()["partner_status"] == "expired"
    Invitation.objects.filter(id=invitation.id).update(status=Invitation.Status.REVOKED)
    assert status_of(acme["client"], invitation.id).json()["partner_status"] == "revoked"


def test_test_status_needs_a_known_interview_id_of_the_keys_organization(acme, make_api_key):
    invitation = _sent(acme)
    missing = acme["client"].get("/api/greenhouse/test_status")
    assert missing.status_code == 400
    assert missing.json()["error"]["fields"] == {
        "partner_interview_id": ["This field is required."]
    }
    for garbage in ("98765", "not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        response = status_of(acme["client"], garbage)
        assert response.status_code == 404, garbage
        assert response.json()["error"]["code"] == "not_found"
    _, other_raw, _ = make_api_key("bravo", ("admin",))
    other = greenhouse_client(other_raw)
    response = status_of(other, invitation.id)
    assert response.status_code == 404
    assert "Kate" not in response.content.decode()
    assert other.get("/api/greenhouse/list_tests").json() == []


# -- response_error ------------------------------------------------------------------------------


def test_response_error_is_logged_and_acknowledged(acme, caplog):
    body = {
        "api_call": "test_status",
        "errors": ["partner_status is 'complete' but partner_profile_url is missing"],
        "partner_test_id": "12",
        "partner_interview_id": "98765",
        "candidate_email": "kate@candidates.test",
    }
    with caplog.at_level(logging.WARNING, logger="api.greenhouse"):
        response = acme["client"].post("/api/greenhouse/response_error", body, format="json")
    assert response.status_code == 200
    assert "partner_profile_url is missing" in caplog.text
    assert "acme" in caplog.text


# -- The schema ------------------------------------------------------------------------------------


def test_the_partner_endpoints_are_in_the_openapi_schema_with_basic_auth(acme):
    schema = acme["client"].get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = schema["paths"]
    for name in ("list_tests", "send_test", "test_status", "response_error"):
        assert f"/api/greenhouse/{name}" in paths
    assert schema["components"]["securitySchemes"]["greenhouseBasic"]["scheme"] == "basic"
