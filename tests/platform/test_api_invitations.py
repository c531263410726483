"""Invitations through the API: invite one or a batch (all or none), revoke, extend; scopes;
another organization's key. Reading and listing: test_api_invitation_list.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import pytest
from api_world import build, invite, organization, submit
from django.core import mail
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import AuditEvent
from assessments.models import Assessment, Invitation
from assessments.selectors import invitation_by_token
from assessments.services import assessment_create

pytestmark = pytest.mark.django_db

ADA = {"candidate_name": "Ada Lovelace", "candidate_email": "ada@candidates.test"}


@pytest.fixture
def screen(bank: Any) -> Assessment:
    return build("acme")


@pytest.fixture
def inviter(make_api_key: Any) -> Any:
    return make_api_key("acme", ("invite",))[2]


@pytest.fixture
def reader(make_api_key: Any) -> Any:
    return make_api_key("acme", ("read",))[2]


def post(client: Any, path: str, body: Any) -> Any:
    return client.post(path, body, format="json")


def token_of(invitation_url: str) -> str:
    return urlsplit(invitation_url).path.rsplit("/", 1)[1]


# --- invite one ------------------------------------------------------------------------------


def test_inviting_one_emails_the_link_returned_once_and_stores_the_hiring_systems_ids(
    inviter, screen
):
    response = post(
        inviter,
        f"/api/v1/assessments/{screen.id}/invitations",
        {
            **ADA,
            "external_id": "gh-831",
            "callback_url": "https://ats.test/hook",
            "extra_minutes": 15,
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    invitation = Invitation.objects.get(id=body["id"])
    assert invitation_by_token(token_of(body["invitation_url"])) == invitation
    assert body["invitation_url"].startswith("http://testserver/a/")
    assert (invitation.external_id, invitation.callback_url) == ("gh-831", "https://ats.test/hook")
    assert {k: body[k] for k in ("status", "external_id", "callback_url", "extra_minutes")} == {
        "status": "invited",
        "external_id": "gh-831",
        "callback_url": "https://ats.test/hook",
        "extra_minutes": 15,
    }
    assert body["assessment_id"] == screen.id and body["report_url"] is None
    assert body["started_at"] is None and body["deadline"] is None
    expires_at = parse_datetime(body["expires_at"])
    assert body["expires_at"].endswith("Z")
    assert timedelta(days=13, hours=23) < expires_at - timezone.now() <= timedelta(days=14)
    [email] = mail.outbox
    assert email.to == ["ada@candidates.test"] and body["invitation_url"] in email.body
    # Shown once: the detail never carries the link again.
    detail = inviter.get(f"/api/v1/invitations/{body['id']}").json()
    assert "invitation_url" not in detail
    assert detail == {k: v for k, v in body.items() if k != "invitation_url"}
    event = AuditEvent.objects.get(action="invitation.create")
    assert event.actor == invitation.invited_by and event.actor.api_key.name == "ATS of acme"


def test_the_link_opens_the_candidates_page(inviter, screen):
    body = post(inviter, f"/api/v1/assessments/{screen.id}/invitations", ADA).json()
    page = Client().get(urlsplit(body["invitation_url"]).path, follow=True)
    assert page.status_code == 200
    assert "ML screen" in page.content.decode()


def test_a_given_expiry_is_kept_and_one_in_the_past_is_refused(inviter, screen):
    when = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    body = post(
        inviter,
        f"/api/v1/assessments/{screen.id}/invitations",
        {**ADA, "expires_at": when.isoformat()},
    ).json()
    assert parse_datetime(body["expires_at"]) == when
    past = post(
        inviter,
        f"/api/v1/assessments/{screen.id}/invitations",
        {**ADA, "candidate_email": "b@x.test", "expires_at": "2020-01-01T00:00:00Z"},
    )
    assert past.status_code == 400
    assert past.json()["error"]["fields"] == {"expires_at": ["must be in the future"]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"candidate_email": "not-an-email"}, "candidate_email"),
        ({"candidate_name": ""}, "candidate_name"),
        ({"candidate_name": None}, "candidate_name"),
        ({"extra_minutes": 24 * 60 + 1}, "extra_minutes"),
        ({"extra_minutes": -1}, "extra_minutes"),
        ({"callback_url": "ftp://ats.test/hook"}, "callback_url"),
        ({"callback_url": "not a url"}, "callback_url"),
        ({"external_id": "x" * 201}, "external_id"),
        ({"expires_at": "tomorrow"}, "expires_at"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_invites_nobody(inviter, screen, change, field):
    response = post(inviter, f"/api/v1/assessments/{screen.id}/invitations", {**ADA, **change})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and list(error["fields"]) == [field]
    assert not Invitation.objects.exists() and not mail.outbox


def test_an_email_with_an_unfinished_invitation_is_a_409_and_a_finished_one_is_not(inviter, screen):
    first = post(inviter, f"/api/v1/assessments/{screen.id}/invitations", ADA)
    again = post(
        inviter,
        f"/api/v1/assessments/{screen.id}/invitations",
        {**ADA, "candidate_email": "ADA@candidates.test"},
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_invited"
    assert "ADA@candidates.test" in again.json()["error"]["message"]
    Invitation.objects.filter(id=first.json()["id"]).update(status=Invitation.Status.SUBMITTED)
    assert post(inviter, f"/api/v1/assessments/{screen.id}/invitations", ADA).status_code == 201


def test_an_assessment_without_steps_is_a_409(inviter, bank):
    empty = assessment_create(
        organization=organization("acme"),
        title="Empty",
        duration_minutes=30,
        steps=[],
    )
    response = post(inviter, f"/api/v1/assessments/{empty.id}/invitations", ADA)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "assessment_has_no_steps"


def test_a_read_key_cannot_invite_revoke_or_extend(reader, inviter, screen):
    invitation = invite(screen)
    for path, body in [
        (f"/api/v1/assessments/{screen.id}/invitations", ADA),
        (f"/api/v1/assessments/{screen.id}/invitations/batch", {"invitations": [ADA]}),
        (f"/api/v1/invitations/{invitation.id}/revoke", {}),
        (f"/api/v1/invitations/{invitation.id}/extend", {"minutes": 10}),
    ]:
        response = post(reader, path, body)
        assert response.status_code == 403, path
        assert response.json()["error"]["code"] == "permission_denied"
        assert "invite" in response.json()["error"]["message"].lower()
    assert Invitation.objects.count() == 1 and not mail.outbox
    assert reader.get(f"/api/v1/invitations/{invitation.id}").status_code == 200


# --- a batch ---------------------------------------------------------------------------------


def _batch(count: int) -> list[dict[str, Any]]:
    return [
        {"candidate_name": f"Candidate {n}", "candidate_email": f"c{n}@candidates.test"}
        for n in range(count)
    ]


def test_a_batch_invites_everyone_and_returns_each_link(inviter, screen):
    entries = _batch(3)
    entries[1]["external_id"] = "gh-2"
    response = post(
        inviter, f"/api/v1/assessments/{screen.id}/invitations/batch", {"invitations": entries}
    )
    assert response.status_code == 201, response.json()
    results = response.json()["results"]
    assert [r["candidate_email"] for r in results] == [e["candidate_email"] for e in entries]
    assert [r["external_id"] for r in results] == [None, "gh-2", None]
    for result in results:
        assert invitation_by_token(token_of(result["invitation_url"])).id.hex == result[
            "id"
        ].replace("-", "")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e["candidate_email"] for e in entries)


@pytest.mark.parametrize(
    ("index", "change", "field", "status", "code"),
    [
        (2, {"candidate_email": "nope"}, "invitations.2.candidate_email", 400, "validation_error"),
        (1, {"extra_minutes": 99999}, "invitations.1.extra_minutes", 400, "validation_error"),
        (
            3,
            {"candidate_email": "c0@candidates.test"},
            "invitations.3.candidate_email",
            400,
            "validation_error",
        ),
        (
            1,
            {"expires_at": "2099-01-01T00:00:00Z"},
            "invitations.1.expires_at",
            400,
            "validation_error",
        ),
        (
            2,
            {"candidate_email": "taken@candidates.test"},
            "invitations.2.candidate_email",
            409,
            "already_invited",
        ),
    ],
)
def test_one_bad_entry_refuses_the_whole_batch_naming_its_index(
    inviter, screen, index, change, field, status, code
):
    invite(screen, "Taken Already")  # taken@candidates.test holds an unfinished invitation
    entries = _batch(4)
    entries[index].update(change)
    response = post(
        inviter, f"/api/v1/assessments/{screen.id}/invitations/batch", {"invitations": entries}
    )
    assert response.status_code == status, response.json()
    error = response.json()["error"]
    assert error["code"] == code and field in error["message"]
    if status == 400:
        assert list(error["fields"]) == [field]
    assert Invitation.objects.count() == 1 and not mail.outbox


@pytest.mark.parametrize(("body", "words"), [({"invitations": []}, "at least 1"), ({}, "required")])
def test_an_empty_batch_is_a_400(inviter, screen, body, words):
    response = post(inviter, f"/api/v1/assessments/{screen.id}/invitations/batch", body)
    assert response.status_code == 400 and words in response.json()["error"]["message"]


def test_a_batch_holds_at_most_100(inviter, screen):
    too_many = post(
        inviter, f"/api/v1/assessments/{screen.id}/invitations/batch", {"invitations": _batch(101)}
    )
    assert too_many.status_code == 400
    assert "no more than 100" in too_many.json()["error"]["message"]
    assert not Invitation.objects.exists()
    hundred = post(
        inviter, f"/api/v1/assessments/{screen.id}/invitations/batch", {"invitations": _batch(100)}
    )
    assert hundred.status_code == 201 and len(hundred.json()["results"]) == 100


# --- revoke and extend -----------------------------------------------------------------------


def test_revoking_closes_the_link_and_revoking_again_is_a_409(inviter, screen):
    body = post(inviter, f"/api/v1/assessments/{screen.id}/invitations", ADA).json()
    revoked = post(inviter, f"/api/v1/invitations/{body['id']}/revoke", {})
    assert revoked.status_code == 200, revoked.json()
    assert revoked.json()["status"] == "revoked" and revoked.json()["finished_at"]
    page = Client().get(urlsplit(body["invitation_url"]).path, follow=True)
    assert "withdrawn" in page.content.decode()
    again = post(inviter, f"/api/v1/invitations/{body['id']}/revoke", {})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invitation_not_revocable"
    assert "nothing to revoke" in again.json()["error"]["message"]


def test_a_finished_attempt_cannot_be_revoked(inviter, screen):
    done = invite(screen, status=Invitation.Status.SUBMITTED)
    response = post(inviter, f"/api/v1/invitations/{done.id}/revoke", {})
    assert response.status_code == 409
    done.refresh_from_db()
    assert done.status == Invitation.Status.SUBMITTED


def test_extending_before_the_start_moves_the_links_expiry(inviter, screen):
    invitation = invite(screen)
    before = invitation.expires_at
    response = post(inviter, f"/api/v1/invitations/{invitation.id}/extend", {"minutes": 90})
    assert response.status_code == 200, response.json()
    invitation.refresh_from_db()
    assert invitation.expires_at - before == timedelta(minutes=90)
    assert parse_datetime(response.json()["expires_at"]) == invitation.expires_at.replace(
        microsecond=0
    )


def test_extending_an_expired_link_opens_it_again(inviter, screen):
    expired = invite(screen, status=Invitation.Status.EXPIRED)
    body = post(inviter, f"/api/v1/invitations/{expired.id}/extend", {"minutes": 60}).json()
    assert body["status"] == "invited"
    assert parse_datetime(body["expires_at"]) > timezone.now() + timedelta(minutes=58)


def test_extending_a_running_attempt_moves_its_deadline(inviter, screen):
    running = invite(screen, status=Invitation.Status.STARTED)
    body = post(inviter, f"/api/v1/invitations/{running.id}/extend", {"minutes": 15}).json()
    running_after = Invitation.objects.get(id=running.id)
    assert running_after.deadline - running.deadline == timedelta(minutes=15)
    assert body["status"] == "started" and body["deadline"].endswith("Z")


@pytest.mark.parametrize("status", [Invitation.Status.SUBMITTED, Invitation.Status.REVOKED])
def test_a_finished_or_revoked_invitation_cannot_be_extended(inviter, screen, status):
    closed = invite(screen, status=status)
    response = post(inviter, f"/api/v1/invitations/{closed.id}/extend", {"minutes": 15})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invitation_not_extendable"
    assert "invite them again" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "body", [{"minutes": 0}, {"minutes": 30 * 24 * 60 + 1}, {}, {"minutes": "x"}]
)
def test_extending_by_a_bad_number_of_minutes_is_a_400(inviter, screen, body):
    invitation = invite(screen)
    response = post(inviter, f"/api/v1/invitations/{invitation.id}/extend", body)
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["minutes"]


# --- tenancy ---------------------------------------------------------------------------------


def test_another_organizations_key_gets_404_on_every_object(make_api_key, screen):
    _, _, bravo = make_api_key("bravo", ("admin",))
    invitation = invite(screen, status=Invitation.Status.STARTED)
    submission = submit(invitation, "arith", 100)
    for method, path, body in [
        ("get", f"/api/v1/assessments/{screen.id}", None),
        ("post", f"/api/v1/assessments/{screen.id}/invitations", ADA),
        ("post", f"/api/v1/assessments/{screen.id}/invitations/batch", {"invitations": [ADA]}),
        ("get", f"/api/v1/invitations/{invitation.id}", None),
        ("get", f"/api/v1/invitations/{invitation.id}/report", None),
        ("post", f"/api/v1/invitations/{invitation.id}/revoke", {}),
        ("post", f"/api/v1/invitations/{invitation.id}/extend", {"minutes": 5}),
        ("get", f"/api/v1/submissions/{submission.id}", None),
        ("get", f"/api/v1/submissions/{submission.id}/events", None),
    ]:
        response = getattr(bravo, method)(path, body, format="json")
        assert response.status_code == 404, (path, response.status_code)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.STARTED and Invitation.objects.count() == 1
