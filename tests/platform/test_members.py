"""Signing in and out, password reset by email, the owner's members page (invite a colleague,
change a role, remove someone) and the demo organization of `make run`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

SET_PASSWORD_LINK = re.compile(r"https?://[^/\s]+(/accounts/password-reset/[^/\s]+/[^/\s]+/)")


def sign_in(email: str, password: str) -> tuple[Client, Any]:
    """A fresh browser that posts the sign-in form; the client and the response."""
    client = Client()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {"username": email, "password": password})
    return client, response


def choose_password(link_path: str, password: str) -> Client:
    """Follow an emailed set-password link and choose `password` on its form."""
    client = Client()
    response = client.get(link_path, follow=True)  # the token moves into the session
    assert response.status_code == 200 and "Choose a password" in response.content.decode()
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link_path
    done = client.post(form_url, {"new_password1": password, "new_password2": password})
    assert done.status_code == 302 and done["Location"] == "/accounts/password-reset/done/"
    return client


def the_link(message: Any) -> str:
    found = SET_PASSWORD_LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def test_signing_in_with_email_and_password_lands_on_the_app(make_member: Any) -> None:
    make_member("acme", "owner")
    client, response = sign_in("Owner@Acme.test", "pw-owner-acme")  # the email's case is free
    assert response.status_code == 302 and response["Location"] == "/app/"
    home = client.get("/app/")
    assert home.status_code == 200 and "Acme" in home.content.decode()


def test_a_wrong_password_shows_an_error_and_signs_nobody_in(make_member: Any) -> None:
    make_member("acme", "owner")
    client, response = sign_in("owner@acme.test", "pw-owner-wrong")
    assert response.status_code == 200
    assert "Wrong email or password" in response.content.decode()
    assert client.get("/app/").status_code == 302  # still anonymous: sent to sign in


def test_the_sign_in_page_sends_back_to_the_page_asked_for(make_member: Any) -> None:
    make_member("acme", "owner")
    client = Client()
    asked = client.get("/app/members/")
    assert asked.status_code == 302 and asked["Location"] == "/accounts/login/?next=/app/members/"
    response = client.post(
        asked["Location"],
        {"username": "owner@acme.test", "password": "pw-owner-acme", "next": "/app/members/"},
    )
    assert response["Location"] == "/app/members/"


def test_signing_out_takes_a_post_and_ends_the_session(make_member: Any) -> None:
    make_member("acme", "author")
    client, _ = sign_in("author@acme.test", "pw-author-acme")
    assert client.get("/accounts/logout/").status_code == 405  # a link cannot sign anyone out
    assert client.get("/app/").status_code == 200
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/app/").status_code == 302


def test_a_password_reset_email_sets_a_new_password_that_then_signs_in(
    make_member: Any,
) -> None:
    make_member("acme", "reviewer")
    response = Client().post("/accounts/password-reset/", {"email": "reviewer@acme.test"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert [m.to for m in mail.outbox] == [["reviewer@acme.test"]]
    choose_password(the_link(mail.outbox[0]), "a-new-long-passphrase-7")
    assert sign_in("reviewer@acme.test", "pw-reviewer-acme")[1].status_code == 200  # old: no
    _, response = sign_in("reviewer@acme.test", "a-new-long-passphrase-7")
    assert response.status_code == 302 and response["Location"] == "/app/"
    # The link worked once.
    again = Client().get(the_link(mail.outbox[0]), follow=True)
    assert "does not work any more" in again.content.decode()


def test_a_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(db: None) -> None:
    response = Client().post("/accounts/password-reset/", {"email": "nobody@nowhere.test"})
    assert response.status_code == 302 and response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_a_colleague_invited_by_the_owner_sets_a_password_and_signs_in_with_the_role(
    make_member: Any,
) -> None:
    from accounts.models import AuditEvent, Membership

    owner = make_member("acme", "owner")
    response = owner.client.post("/app/members/", {"email": "Ada@Acme.test", "role": "author"})
    assert response.status_code == 302 and response["Location"] == "/app/members/"
    page = owner.client.get("/app/members/").content.decode()
    assert "Invited ada@acme.test as author" in page
    row = page[page.index('data-member="ada@acme.test"') :].split("</tr>")[0]
    assert "invited" in row and "Resend the invitation" in row
    (message,) = mail.outbox
    assert message.to == ["ada@acme.test"] and "Acme" in message.subject
    assert "owner@acme.test" in message.body and "author" in message.body
    assert sign_in("ada@acme.test", "")[1].status_code == 200  # no password before the link
    choose_password(the_link(message), "ada-chose-this-9")
    client, response = sign_in("ada@acme.test", "ada-chose-this-9")
    assert response["Location"] == "/app/"
    membership = Membership.objects.get(user__email="ada@acme.test")
    assert membership.organization == owner.organization and membership.role == "author"
    assert client.get("/app/members/").status_code == 403  # an author, not an owner
    event = AuditEvent.objects.get(action="member.invite")
    assert event.actor == owner.membership.user and event.detail["email"] == "ada@acme.test"


def test_an_invitation_can_be_sent_again_until_the_colleague_has_a_password(
    make_member: Any,
) -> None:
    from accounts.models import Membership

    owner = make_member("acme", "owner")
    owner.client.post("/app/members/", {"email": "ada@acme.test", "role": "reviewer"})
    ada = Membership.objects.get(user__email="ada@acme.test")
    owner.client.post(f"/app/members/{ada.pk}/resend")
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["ada@acme.test"]
    choose_password(the_link(mail.outbox[1]), "ada-chose-this-9")
    page = owner.client.post(f"/app/members/{ada.pk}/resend", follow=True).content.decode()
    assert "Nothing was sent" in page and len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("email", "problem"),
    [
        ("not-an-email", "Enter a valid email address"),
        ("author@acme.test", "already belongs to an organization"),
        ("owner@globex.test", "already belongs to an organization"),
    ],
)
def test_an_invitation_that_cannot_be_made_says_why_and_sends_nothing(
    make_member: Any, email: str, problem: str
) -> None:
    owner = make_member("acme", "owner")
    make_member("acme", "author")
    make_member("globex", "owner")
    response = owner.client.post("/app/members/", {"email": email, "role": "author"})
    assert response.status_code == 200 and problem in response.content.decode()
    assert mail.outbox == []


def test_an_invitation_with_a_role_that_does_not_exist_is_refused(make_member: Any) -> None:
    owner = make_member("acme", "owner")
    response = owner.client.post("/app/members/", {"email": "x@acme.test", "role": "admin"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.parametrize("role", ["author", "reviewer"])
def test_only_the_owner_reaches_the_members_page(make_member: Any, role: str) -> None:
    owner = make_member("acme", "owner")
    member = make_member("acme", role)
    assert member.client.get("/app/members/").status_code == 403
    target = owner.membership.pk
    assert member.client.post(f"/app/members/{target}/role", {"role": role}).status_code == 403
    assert member.client.post(f"/app/members/{target}/remove").status_code == 403
    assert (
        member.client.post("/app/members/", {"email": "x@acme.test", "role": "owner"}).status_code
        == 403
    )
    assert mail.outbox == []


def test_the_members_page_lists_the_organizations_members_only(make_member: Any) -> None:
    owner = make_member("acme", "owner")
    make_member("acme", "reviewer")
    make_member("globex", "author")
    page = owner.client.get("/app/members/").content.decode()
    listed = re.findall(r'data-member="([^"]+)"', page)
    assert listed == ["owner@acme.test", "reviewer@acme.test"]
    assert "Reviewer" in page


def test_the_owner_changes_a_role_and_it_is_audited(make_member: Any) -> None:
    from accounts.models import AuditEvent

    owner = make_member("acme", "owner")
    reviewer = make_member("acme", "reviewer")
    response = owner.client.post(
        f"/app/members/{reviewer.membership.pk}/role", {"role": "author"}, follow=True
    )
    assert "reviewer@acme.test is now author" in response.content.decode()
    reviewer.membership.refresh_from_db()
    assert reviewer.membership.role == "author"
    assert reviewer.client.get("/app/members/").status_code == 403
    event = AuditEvent.objects.get(action="member.role")
    assert event.detail == {"email": "reviewer@acme.test", "from": "reviewer", "to": "author"}
    refused = owner.client.post(
        f"/app/members/{reviewer.membership.pk}/role", {"role": "boss"}, follow=True
    )
    assert "The role was not changed" in refused.content.decode()


def test_the_last_owner_can_neither_be_demoted_nor_removed(make_member: Any) -> None:
    from accounts.models import AuditEvent, Membership

    owner = make_member("acme", "owner")
    me = owner.membership.pk
    demoted = owner.client.post(f"/app/members/{me}/role", {"role": "author"}, follow=True)
    assert "the only owner" in demoted.content.decode()
    removed = owner.client.post(f"/app/members/{me}/remove", follow=True)
    assert "the only owner" in removed.content.decode()
    assert Membership.objects.get(pk=me).role == "owner"
    assert not AuditEvent.objects.filter(action__startswith="member.").exists()


def test_with_a_second_owner_the_first_can_step_down(make_member: Any) -> None:
    from accounts.models import Membership

    owner = make_member("acme", "owner")
    second = make_member("acme", "author")
    owner.client.post(f"/app/members/{second.membership.pk}/role", {"role": "owner"})
    stepped = owner.client.post(f"/app/members/{owner.membership.pk}/role", {"role": "reviewer"})
    assert stepped["Location"] == "/app/"  # the members page is no longer theirs
    assert Membership.objects.get(pk=owner.membership.pk).role == "reviewer"
    assert owner.client.get("/app/members/").status_code == 403
    # The new owner may now remove the old one, who may in turn not remove anyone.
    left = second.client.post(f"/app/members/{owner.membership.pk}/remove")
    assert left["Location"] == "/app/members/"
    assert not Membership.objects.filter(pk=owner.membership.pk).exists()


def test_an_owner_who_removes_themselves_is_signed_out(make_member: Any) -> None:
    from accounts.models import Membership

    make_member("acme", "owner")
    second = make_member("acme", "author")
    Membership.objects.filter(pk=second.membership.pk).update(role="owner")
    response = second.client.post(f"/app/members/{second.membership.pk}/remove")
    assert response["Location"] == "/accounts/login/"
    assert second.client.get("/app/").status_code == 302


def test_a_removed_member_is_signed_out_and_let_in_nowhere(make_member: Any) -> None:
    from accounts.models import AuditEvent, Membership

    owner = make_member("acme", "owner")
    make_member("acme", "author")
    client, _ = sign_in("author@acme.test", "pw-author-acme")
    assert client.get("/app/").status_code == 200
    author = Membership.objects.get(user__email="author@acme.test")
    response = owner.client.post(f"/app/members/{author.pk}/remove", follow=True)
    assert "author@acme.test no longer belongs here" in response.content.decode()
    assert not Membership.objects.filter(pk=author.pk).exists()
    assert client.get("/app/").status_code == 302  # the open session ended
    assert sign_in("author@acme.test", "pw-author-acme")[1].status_code == 200  # refused
    event = AuditEvent.objects.get(action="member.remove")
    assert event.detail == {"email": "author@acme.test", "role": "author"}
    # Invited again later, they come back.
    owner.client.post("/app/members/", {"email": "author@acme.test", "role": "reviewer"})
    assert Membership.objects.get(user__email="author@acme.test").role == "reviewer"


def test_another_organizations_member_is_a_404(make_member: Any) -> None:
    owner = make_member("acme", "owner")
    foreign = make_member("globex", "reviewer").membership
    for action in ("role", "remove", "resend"):
        url = f"/app/members/{foreign.pk}/{action}"
        assert owner.client.post(url, {"role": "owner"}).status_code == 404
        assert owner.client.get(url).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == "reviewer" and mail.outbox == []
    assert owner.client.get("/app/members/999999/role").status_code == 404
    assert owner.client.get(f"/app/members/{owner.membership.pk}/role").status_code == 405


def test_a_signed_in_user_outside_any_organization_gets_a_404(db: None) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("loner@x.test", "loner@x.test", "pw-loner-1")
    client, response = sign_in("loner@x.test", "pw-loner-1")
    assert response.status_code == 302
    assert client.get("/app/").status_code == 404
    assert client.get("/app/members/").status_code == 404
    assert user.is_authenticated


def test_the_demo_organization_command_is_idempotent_and_prints_the_same_password(
    db: None, settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accounts.models import Membership, Organization

    settings.VAR_DIR = tmp_path
    lines = []
    for _ in range(2):
        call_command("ensure_demo_organization", "--base-url", "http://127.0.0.1:9000/")
        lines.append(capsys.readouterr().out.strip())
    assert lines[0] == lines[1]
    found = re.fullmatch(
        r"Demo organization: Demo Company\. Sign in at http://127\.0\.0\.1:9000/accounts/login/ "
        r"as owner@demo\.test with password (\S+)",
        lines[0],
    )
    assert found, lines[0]
    password = found.group(1)
    assert (tmp_path / "demo-owner-password").read_text().strip() == password
    assert (tmp_path / "demo-owner-password").stat().st_mode & 0o777 == 0o600
    assert Organization.objects.filter(slug="demo").count() == 1
    (owner,) = Membership.objects.filter(organization__slug="demo")
    assert owner.role == "owner" and owner.user.email == "owner@demo.test"
    _, response = sign_in("owner@demo.test", password)
    assert response["Location"] == "/app/"


def test_the_demo_command_resets_a_changed_owner_password_to_the_stored_one(
    db: None, settings: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from accounts.models import Membership

    settings.VAR_DIR = tmp_path
    call_command("ensure_demo_organization")
    password = capsys.readouterr().out.split()[-1]
    owner = Membership.objects.get(user__email="owner@demo.test")
    owner.user.set_password("changed-by-someone")
    owner.user.save()
    owner.role = "reviewer"
    owner.save()
    call_command("ensure_demo_organization")
    assert capsys.readouterr().out.split()[-1] == password
    assert sign_in("owner@demo.test", password)[1].status_code == 302
    assert Membership.objects.get(user__email="owner@demo.test").role == "owner"
