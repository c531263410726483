"""The owner's audit page (web/interviewer/audit.py) and the audit trail in the admin."""

from __future__ import annotations

import re
from typing import Any

import pytest


def actions(response: Any) -> list[str]:
    assert response.status_code == 200
    return re.findall(r'<tr data-action="([^"]+)"', response.content.decode())


def record(member: Any, action: str, count: int = 1) -> None:
    from accounts.audit import audit_record

    for _ in range(count):
        audit_record(
            organization=member.organization,
            actor=member.membership.user,
            action=action,
            target=member.organization,
        )


def test_the_audit_page_lists_an_invitation_of_a_colleague(make_member: Any) -> None:
    owner = make_member("acme", "owner")
    owner.client.post("/app/members/", {"email": "ada@acme.test", "role": "reviewer"})
    response = owner.client.get("/app/audit/")
    assert actions(response) == ["member.invite"]
    page = response.content.decode()
    row = page[page.index('data-action="member.invite"') :].split("</tr>")[0]
    assert "owner@acme.test" in row and "ada@acme.test" in row and "role=reviewer" in row


@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_the_audit_page_is_for_the_owner_only(make_member: Any, role: str) -> None:
    make_member("acme", "owner")
    assert make_member("acme", role).client.get("/app/audit/").status_code == 403


def test_events_are_newest_first_and_filtered_by_action_prefix_and_by_actor(
    make_member: Any,
) -> None:
    owner = make_member("acme", "owner")
    author = make_member("acme", "author")
    record(owner, "assessment.create")
    record(author, "exercise.publish")
    record(author, "report.view")
    client = owner.client
    assert actions(client.get("/app/audit/")) == [
        "report.view",
        "exercise.publish",
        "assessment.create",
    ]
    assert actions(client.get("/app/audit/", {"action": "exercise"})) == ["exercise.publish"]
    by_author = client.get("/app/audit/", {"actor": author.membership.user.pk})
    assert actions(by_author) == ["report.view", "exercise.publish"]
    both = client.get("/app/audit/", {"actor": author.membership.user.pk, "action": "report."})
    assert actions(both) == ["report.view"]
    assert "No event matches" in client.get("/app/audit/", {"action": "nothing"}).content.decode()
    assert actions(client.get("/app/audit/", {"actor": "not-a-number"})) == actions(
        client.get("/app/audit/")
    )


def test_another_organizations_events_are_not_shown(make_member: Any) -> None:
    owner = make_member("acme", "owner")
    other = make_member("globex", "owner")
    record(other, "exercise.publish")
    assert actions(owner.client.get("/app/audit/")) == []
    assert "globex" not in owner.client.get("/app/audit/").content.decode().lower()
    # Filtering by a foreign actor's id finds nothing either.
    foreign = owner.client.get("/app/audit/", {"actor": other.membership.user.pk})
    assert actions(foreign) == []


def test_the_audit_page_shows_fifty_events_a_page(make_member: Any) -> None:
    owner = make_member("acme", "owner")
    record(owner, "report.view", count=60)
    record(owner, "assessment.create")
    first = owner.client.get("/app/audit/", {"action": "report"})
    assert len(actions(first)) == 50
    assert "Page 1 of 2 (60 events)" in first.content.decode()
    assert "action=report&amp;page=2" in first.content.decode()
    second = owner.client.get("/app/audit/", {"action": "report", "page": "2"})
    assert len(actions(second)) == 10
    beyond = owner.client.get("/app/audit/", {"page": "99"})  # the last page, not an error
    assert beyond.status_code == 200 and len(actions(beyond)) == 11


def test_the_admin_shows_the_audit_trail_read_only(make_member: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from accounts.models import AuditEvent

    owner = make_member("acme", "owner")
    record(owner, "exercise.publish")
    event = AuditEvent.objects.get()
    admin = Client()
    admin.force_login(get_user_model().objects.create_superuser("root", "root@x.test", "pw-root-1"))
    listing = admin.get("/admin/accounts/auditevent/")
    assert listing.status_code == 200 and "exercise.publish" in listing.content.decode()
    assert admin.get("/admin/accounts/auditevent/add/").status_code == 403
    assert admin.post(f"/admin/accounts/auditevent/{event.pk}/delete/").status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    assert admin.get("/admin/accounts/organization/").status_code == 200
    assert admin.get("/admin/accounts/membership/").status_code == 200
