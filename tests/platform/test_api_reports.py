"""GET /api/v1/invitations/{id}/report and the signed link to the human report page
(api.signed_report, web.interviewer.signed_report)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from api_world import answer, build, invite, submit
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from api.signed_report import report_token, report_token_opens
from assessments.models import Assessment, Invitation
from assessments.reports import assessment_report
from submissions.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(make_api_key: Any) -> Any:
    return make_api_key("acme", ("read",))[2]


@pytest.fixture
def screen(bank: Any) -> Assessment:
    return build("acme")


@pytest.fixture
def ada(screen: Assessment) -> Invitation:
    """A finished candidate: arith 3 submits (best 100, speed 1.25), kmeans one at 40 and a
    public run, the choice question right, the short answer still to grade."""
    ada = invite(screen, status=Invitation.Status.SUBMITTED)
    submit(ada, "arith", 50, minutes_ago=50)
    submit(ada, "arith", 100, speed=1.25, minutes_ago=40)
    submit(ada, "arith", 0, status=Submission.Status.FAILED, minutes_ago=35)
    submit(ada, "kmeans", 40, minutes_ago=30)
    submit(ada, "kmeans", 100, suite=Submission.Suite.PUBLIC, minutes_ago=20)
    answer(ada, "early-stopping-signal", choices=[1])
    answer(ada, "loss-scaling-why", text="Small gradients underflow in FP16.")
    return ada


def test_the_report_has_the_scores_of_the_interviewers_report(reader, screen, ada):
    response = reader.get(f"/api/v1/invitations/{ada.id}/report")
    assert response.status_code == 200, response.json()
    body = response.json()
    row = assessment_report(screen).rows[0]
    assert body["total"] == row.total == round((2 * 100 + 40 + 100 + 0) / 5, 1)
    assert body["provisional"] is True  # the short answer is still to grade
    assert body["time_spent_s"] == 42 * 60
    assert body["invitation"]["id"] == str(ada.id) and body["invitation"]["status"] == "graded"
    assert [s["score"] for s in body["steps"]] == [round(s.score, 1) for s in row.steps]
    arith, kmeans, choice, short = body["steps"]
    assert arith == {
        "position": 1,
        "kind": "exercise",
        "slug": "arith",
        "title": "Add and multiply",
        "weight": 2,
        "score": 100.0,
        "state": "scored",
        "verdict": "ACCEPTED",
        "speed_ratio": 1.25,
        "submissions": 3,  # hidden-test submissions, the failed one included; public runs not
        "tests": [
            {"name": "test_0", "outcome": "passed", "points": 50.0, "max_points": 50.0},
            {"name": "test_1", "outcome": "passed", "points": 50.0, "max_points": 50.0},
        ],
    }
    assert (kmeans["verdict"], kmeans["speed_ratio"], kmeans["submissions"]) == (
        "WRONG_ANSWER",
        None,
        1,
    )
    assert [t["outcome"] for t in kmeans["tests"]] == ["passed", "failed"]
    assert choice == {
        "position": 3,
        "kind": "question",
        "slug": "early-stopping-signal",
        "title": "Which curve should early stopping watch?",
        "weight": 1,
        "score": 100.0,
        "state": "scored",
        "verdict": None,
        "speed_ratio": None,
        "submissions": None,
        "tests": [],
    }
    assert (short["state"], short["score"]) == ("to grade", 0.0)


def test_a_candidate_who_has_not_started_has_an_empty_report(reader, screen):
    invited = invite(screen)
    body = reader.get(f"/api/v1/invitations/{invited.id}/report").json()
    assert body["total"] == 0 and body["time_spent_s"] is None
    assert [s["state"] for s in body["steps"]] == [
        "not submitted",
        "not submitted",
        "not answered",
        "not answered",
    ]
    assert body["invitation"]["report_url"] is None


def test_tests_are_left_out_when_the_assessment_hides_hidden_test_results(reader, bank):
    hidden = build("acme", "Hidden results", show_hidden_results=False)
    bob = invite(hidden, "Bob Hidden", status=Invitation.Status.SUBMITTED)
    submit(bob, "arith", 100)
    arith = reader.get(f"/api/v1/invitations/{bob.id}/report").json()["steps"][0]
    assert arith["tests"] == []
    assert (arith["score"], arith["verdict"]) == (100.0, "ACCEPTED")  # the results still count


def test_another_organizations_invitation_has_no_report(make_api_key, ada):
    _, _, bravo = make_api_key("bravo", ("read",))
    assert bravo.get(f"/api/v1/invitations/{ada.id}/report").status_code == 404


# --- the signed link to the human report page ------------------------------------------------


def _path_and_token(report_url: str) -> tuple[str, str]:
    parts = urlsplit(report_url)
    return parts.path, parse_qs(parts.query)["t"][0]


def test_the_report_url_opens_the_page_read_only_without_a_session(reader, ada):
    report_url = reader.get(f"/api/v1/invitations/{ada.id}").json()["report_url"]
    assert report_url.startswith(f"http://testserver/r/{ada.id}?t=")
    response = Client().get(report_url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ada Lovelace" in html and "Small gradients underflow in FP16." in html
    assert "/grade" not in html and 'name="points"' not in html  # no grade form
    assert response["Referrer-Policy"] == "no-referrer"
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="report.view")
    assert event.actor is None and event.detail == {"via": "signed link"}


def test_a_tampered_foreign_missing_or_expired_token_is_a_404(reader, screen, ada):
    path, token = _path_and_token(reader.get(f"/api/v1/invitations/{ada.id}").json()["report_url"])
    other = invite(screen, "Other Person", status=Invitation.Status.SUBMITTED)
    eight_days_ago = timezone.now() - timedelta(days=8)
    six_days_ago = timezone.now() - timedelta(days=6)
    refused = {
        "tampered": f"{path}?t={token[:-2]}{'AA' if not token.endswith('AA') else 'BB'}",
        "another invitation's": f"{path}?t={report_token(other.id)}",
        "missing": path,
        "empty": f"{path}?t=",
        "expired": f"{path}?t={report_token(ada.id, issued_at=eight_days_ago)}",
    }
    for what, url in refused.items():
        assert Client().get(url).status_code == 404, what
    assert (
        Client().get(f"{path}?t={report_token(ada.id, issued_at=six_days_ago)}").status_code == 200
    )
    assert not report_token_opens(token, other.id)


def test_the_page_answers_only_get(ada):
    token = report_token(ada.id)
    assert Client().post(f"/r/{ada.id}?t={token}").status_code == 405
