"""Reading invitations through the API: the status of each as of now ("graded" included),
the list with its filters and cursors, and the one Invitation shape the API and the webhooks
share (api.invitation_status.invitation_json)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import pytest
from api_world import build, invite, submit
from django.utils import timezone

from api.invitation_status import ApiStatus, invitation_json
from api.serializers_invitations import InvitationOutput
from assessments.models import Assessment, Invitation
from submissions.models import Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def screen(bank: Any) -> Assessment:
    return build("acme")


@pytest.fixture
def reader(make_api_key: Any) -> Any:
    return make_api_key("acme", ("read",))[2]


# --- statuses, list and filters --------------------------------------------------------------


@pytest.fixture
def each_status(screen: Assessment) -> dict[str, Invitation]:
    """One invitation per API status; the names say which."""
    graded = invite(screen, "Grace Graded", status=Invitation.Status.SUBMITTED)
    submit(graded, "arith", 100)
    waiting = invite(screen, "Sam Submitted", status=Invitation.Status.SUBMITTED)
    submit(waiting, "arith", 100)
    submit(waiting, "kmeans", 0, status=Submission.Status.RUNNING)
    timed_out = invite(screen, "Tim Timeout", status=Invitation.Status.STARTED)
    Invitation.objects.filter(id=timed_out.id).update(
        deadline=timezone.now() - timedelta(minutes=1)
    )
    link_expired = invite(screen, "Eve Lapsed")
    Invitation.objects.filter(id=link_expired.id).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    return {
        "invited": invite(screen, "Ivy Invited"),
        "started": invite(screen, "Stan Started", status=Invitation.Status.STARTED),
        "submitted": waiting,
        "graded": graded,
        "timed_out": timed_out,  # STARTED in the database, past its deadline: graded now
        "expired": invite(screen, "Ed Expired", status=Invitation.Status.EXPIRED),
        "lapsed": link_expired,  # INVITED in the database, past the link's expiry: expired now
        "revoked": invite(screen, "Rae Revoked", status=Invitation.Status.REVOKED),
    }


def test_each_status_is_reported_as_of_now(reader, each_status):
    expected = {
        "invited": "invited",
        "started": "started",
        "submitted": "submitted",
        "graded": "graded",
        "timed_out": "graded",
        "expired": "expired",
        "lapsed": "expired",
        "revoked": "revoked",
    }
    for name, invitation in each_status.items():
        body = reader.get(f"/api/v1/invitations/{invitation.id}").json()
        assert body["status"] == expected[name], name
        assert (body["report_url"] is None) == (invitation.started_at is None), name


@pytest.mark.parametrize(
    ("status", "names"),
    [
        ("invited", {"invited"}),
        ("started", {"started"}),
        ("submitted", {"submitted"}),
        ("graded", {"graded", "timed_out"}),
        ("expired", {"expired", "lapsed"}),
        ("revoked", {"revoked"}),
    ],
)
def test_the_status_filter_agrees_with_each_invitations_status(reader, each_status, status, names):
    body = reader.get(f"/api/v1/invitations?status={status}").json()
    assert {row["id"] for row in body["results"]} == {str(each_status[n].id) for n in names}
    assert {row["status"] for row in body["results"]} == {status}


def test_a_submission_graded_later_turns_submitted_into_graded(reader, each_status):
    waiting = each_status["submitted"]
    Submission.objects.filter(owner=waiting.candidate, status=Submission.Status.RUNNING).update(
        status=Submission.Status.GRADED, score=10
    )
    assert reader.get(f"/api/v1/invitations/{waiting.id}").json()["status"] == "graded"


def test_the_list_filters_by_assessment_external_id_and_creation_time(reader, bank):
    first, second = build("acme", "First"), build("acme", "Second")
    old = invite(first, "Olga Old", external_id="gh-1", minutes_ago=120)
    mid = invite(first, "Mia Mid", external_id="gh-2", minutes_ago=60)
    new = invite(second, "Ned New", external_id="gh-1")

    def ids(**query: Any) -> list[str]:
        response = reader.get(f"/api/v1/invitations?{urlencode(query)}")
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [str(new.id), str(mid.id), str(old.id)]  # newest first
    assert ids(assessment=first.id) == [str(mid.id), str(old.id)]
    assert ids(external_id="gh-1") == [str(new.id), str(old.id)]
    assert ids(external_id="gh-1", assessment=second.id) == [str(new.id)]
    ninety_minutes_ago = (timezone.now() - timedelta(minutes=90)).isoformat()
    assert ids(created_after=ninety_minutes_ago) == [str(new.id), str(mid.id)]
    assert ids(created_before=ninety_minutes_ago) == [str(old.id)]
    # created_after is inclusive, created_before exclusive: a time splits the rows in two.
    at = mid.created_at.isoformat()
    assert ids(created_after=at) == [str(new.id), str(mid.id)]
    assert ids(created_before=at) == [str(old.id)]
    assert ids(external_id="nobody") == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=done", "status"),
        ("assessment=abc", "assessment"),
        (f"assessment={2**64}", "assessment"),  # past 64-bit ids: a 400, not an overflow
        ("created_after=yesterday", "created_after"),
        ("created_before=2026-13-01", "created_before"),
    ],
)
def test_a_bad_filter_is_a_400_naming_it(reader, bank, query, field):
    response = reader.get(f"/api/v1/invitations?{query}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == [field]


def test_the_list_pages_with_cursors_and_keeps_the_filters(reader, screen):
    for number in range(5):
        invite(screen, f"Candidate {number}", external_id="gh", minutes_ago=10 - number)
    invite(screen, "Someone Else")
    first = reader.get("/api/v1/invitations?external_id=gh&limit=2").json()
    seen = [row["candidate_name"] for row in first["results"]]
    page = first
    while page["next"]:
        assert "external_id=gh" in page["next"]
        page = reader.get(page["next"]).json()
        seen += [row["candidate_name"] for row in page["results"]]
    assert seen == [f"Candidate {n}" for n in (4, 3, 2, 1, 0)]


def test_the_list_shows_nothing_of_another_organization(reader, bank):
    theirs = build("bravo", "Bravo screen")
    invite(theirs, "Bob Bravo", external_id="gh-1")
    assert reader.get("/api/v1/invitations").json()["results"] == []
    assert reader.get(f"/api/v1/invitations?assessment={theirs.id}").json()["results"] == []


# --- one shape for the API and the webhooks --------------------------------------------------


def test_the_schema_describes_exactly_the_fields_invitation_json_writes(screen):
    invitation = invite(screen, status=Invitation.Status.STARTED)
    data = invitation_json(invitation, base_url="https://tj.example")
    assert list(data) == list(InvitationOutput().fields)
    assert data["report_url"].startswith("https://tj.example/r/")
    assert data["status"] == ApiStatus.STARTED
    assert invitation_json(invitation)["report_url"].startswith("/r/")  # no PUBLIC_BASE_URL: a path


def test_the_openapi_schema_documents_the_invitation_endpoints(reader):
    schema = reader.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/assessments",
        "/api/v1/assessments/{assessment_id}",
        "/api/v1/assessments/{assessment_id}/invitations",
        "/api/v1/assessments/{assessment_id}/invitations/batch",
        "/api/v1/invitations",
        "/api/v1/invitations/{invitation_id}",
        "/api/v1/invitations/{invitation_id}/revoke",
        "/api/v1/invitations/{invitation_id}/extend",
        "/api/v1/invitations/{invitation_id}/report",
    ]:
        assert path in paths, path
    listing = paths["/api/v1/invitations"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "status",
        "assessment",
        "external_id",
        "created_after",
        "created_before",
        "cursor",
        "limit",
    }
    assert schema["components"]["securitySchemes"]["ApiKey"]["scheme"] == "bearer"


def test_a_page_of_invitations_costs_a_fixed_number_of_queries(
    reader, screen, django_assert_max_num_queries
):
    for number in range(8):
        invitation = invite(screen, f"Candidate {number}", status=Invitation.Status.SUBMITTED)
        submit(invitation, "arith", 100)
    reader.get("/api/v1/invitations")  # the key's last use is written on its first request
    with django_assert_max_num_queries(2):  # the key, the rows with their grading state
        rows = reader.get("/api/v1/invitations").json()["results"]
    assert [row["status"] for row in rows] == ["graded"] * 8
