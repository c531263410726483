"""Inviting candidates from the assessment page: one by one or by CSV, the email and its link,
resend (a new link), revoke, extend, extra time; who may do it. Real database, Django's test
client; emails land in pytest-django's locmem outbox."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEvent
from assessments import csv_invites
from assessments.models import Invitation, token_hash
from assessments.services import (
    AssessmentError,
    assessment_create,
    attempt_finish,
    attempt_start,
    invitation_create,
    invitation_extend,
    invitations_create,
)
from bank.models import Exercise, Question
from submissions.models import Submission

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/a/[A-Za-z0-9_-]{40,}")


@pytest.fixture
def author(make_member):
    return make_member("acme", "author")


@pytest.fixture
def assessment(bank, author):
    return assessment_create(
        organization=author.organization,
        created_by=author.membership.user,
        title="ML screen",
        duration_minutes=60,
        steps=[Exercise.objects.get(slug="arith"), Question.objects.get(slug="imbalance-remedies")],
    )


def url(assessment, tail: str = "") -> str:
    return f"/app/assessments/{assessment.pk}{tail}"


def opens(link: str) -> Client | None:
    """A fresh browser following the link: the client if it reaches the intro, else None."""
    client = Client()
    response = client.get(link.removeprefix("http://testserver"), follow=True)
    if response.status_code == 200 and b"Start" in response.content:
        return client
    return None


def invite(author, assessment, **fields):
    data = {"name": "Ada Lovelace", "email": "ada@example.com", "extra_minutes": "0"}
    data["expiry_days"] = "14"
    data.update(fields)
    return author.client.post(url(assessment, "/invitations"), data)


def test_inviting_one_emails_a_link_that_opens_the_assessment(author, assessment):
    response = invite(author, assessment, extra_minutes="15")
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.candidate_email == "ada@example.com"
    assert invitation.extra_minutes == 15
    assert invitation.invited_by == author.membership.user
    assert invitation.last_sent_at is not None
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["ada@example.com"]
    assert "ML screen" in email.subject and "Acme" in email.subject
    assert "75 minutes (60 + 15 minutes of extra time)" in email.body
    assert f"{invitation.expires_at:%Y-%m-%d %H:%M} UTC" in email.body
    assert email.reply_to == ["author@acme.test"]
    (link,) = LINK.findall(email.body)
    # The page shows the same link, this once; the token is stored only as its hash.
    assert link in response.content.decode()
    token = link.rsplit("/", 1)[1]
    assert invitation.token_hash == token_hash(token)
    assert opens(link) is not None
    assert token not in author.client.get(url(assessment)).content.decode()
    event = AuditEvent.objects.get(action="invitation.create")
    assert token not in str(event.detail)


def test_an_email_already_invited_and_not_finished_is_refused(author, assessment):
    invite(author, assessment)
    response = invite(author, assessment, email="ADA@example.com", name="Ada again")
    assert response.status_code == 400
    assert "Already invited to this assessment and not finished: ada@example.com" in (
        response.content.decode()
    )
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_finished_candidate_can_be_invited_again(author, assessment):
    invite(author, assessment)
    attempt_finish(invitation=attempt_start(invitation=Invitation.objects.get()))
    assert invite(author, assessment).status_code == 200
    assert Invitation.objects.count() == 2


def test_an_assessment_without_steps_cannot_invite(author, bank):
    empty = assessment_create(
        organization=author.organization, title="Empty", duration_minutes=10, steps=[]
    )
    response = invite(author, empty)
    assert response.status_code == 400
    assert "no steps yet" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_bad_email_is_named_in_the_form(author, assessment):
    response = invite(author, assessment, email="not-an-email")
    assert response.status_code == 400
    assert "Enter a valid email address" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_csv_with_a_bad_line_names_it_and_invites_nobody(author, assessment):
    text = (
        "name,email,extra_minutes\nAda,ada@example.com,0\nBob,bob-at-example.com\nCy,cy@x.com,x\n"
    )
    response = author.client.post(
        url(assessment, "/invitations/csv"), {"text": text, "expiry_days": "7"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "line 3: &#x27;bob-at-example.com&#x27; is not a valid email address" in body
    assert "line 4: extra minutes must be a whole number" in body
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_csv_file_of_three_invites_three_and_sends_three_emails(author, assessment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = (
        "\ufeffname;email;extra_minutes\r\n"
        "Ada;ada@example.com;30\r\n"
        "\r\n"
        '"Turing, Alan";alan@example.com;\r\n'
        "Grace;grace@example.com;0\r\n"
    )
    upload = SimpleUploadedFile("candidates.csv", content.encode("utf-8"), "text/csv")
    response = author.client.post(
        url(assessment, "/invitations/csv"), {"file": upload, "expiry_days": "3"}
    )
    assert response.status_code == 200
    invitations = {i.candidate_email: i for i in Invitation.objects.all()}
    assert set(invitations) == {"ada@example.com", "alan@example.com", "grace@example.com"}
    assert invitations["alan@example.com"].candidate_name == "Turing, Alan"
    assert invitations["ada@example.com"].extra_minutes == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(invitations)
    links = [LINK.findall(m.body)[0] for m in mail.outbox]
    body = response.content.decode()
    assert all(link in body for link in links)
    expiry = invitations["grace@example.com"].expires_at - timezone.now()
    assert timedelta(days=2, hours=23) < expiry <= timedelta(days=3)


def test_a_csv_that_is_not_utf8_is_refused_with_a_hint(author, assessment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("c.csv", "Zoë,zoe@example.com\n".encode("latin-1"))
    response = author.client.post(
        url(assessment, "/invitations/csv"), {"file": upload, "expiry_days": "3"}
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode()


def test_csv_parsing_handles_headers_separators_and_blank_lines():
    assert csv_invites.parse("Ada,ada@example.com\n\nBo,bo@example.com,5,\n") == [
        ("Ada", "ada@example.com", 0),
        ("Bo", "bo@example.com", 5),
    ]
    assert csv_invites.parse("\ufeffName;Email\nAda;ada@example.com\n") == [
        ("Ada", "ada@example.com", 0)
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        (
            "Ada,ada@example.com\nAnn,ADA@example.com\n",
            "line 2: ADA@example.com is already on line 1",
        ),
        ("Ada,ada@example.com,1,2\n", "line 1: expected name,email[,extra_minutes], got 4 fields"),
        (",ada@example.com\n", "line 1: the name is empty"),
        ("name,email,team\nAda,ada@example.com\n", "line 1: the header must be"),
        ("\n\n", "the file lists no candidate"),
        ("Ada,ada@example.com,-5\n", "line 1: extra minutes must be a whole number from 0 to 1440"),
        ("".join(f"C{n},c{n}@example.com\n" for n in range(501)), "the file lists 501 candidates"),
    ],
)
def test_csv_errors_name_the_line_and_the_problem(text, error):
    with pytest.raises(csv_invites.CsvInviteError) as raised:
        csv_invites.parse(text)
    assert error in str(raised.value)


def _invited(author, assessment) -> tuple[Invitation, str]:
    invite(author, assessment)
    return Invitation.objects.get(), LINK.findall(mail.outbox[-1].body)[0]


def test_resend_rotates_the_link_the_old_one_stops_working(author, assessment):
    invitation, old_link = _invited(author, assessment)
    response = author.client.post(f"/app/invitations/{invitation.pk}/resend")
    assert response.status_code == 200
    assert len(mail.outbox) == 2
    (new_link,) = LINK.findall(mail.outbox[1].body)
    assert new_link != old_link
    assert new_link in response.content.decode()
    assert opens(old_link) is None
    assert (
        b"This link is not valid"
        in Client().get(old_link.removeprefix("http://testserver")).content
    )
    assert opens(new_link) is not None
    assert AuditEvent.objects.filter(action="invitation.resend").count() == 1


def test_resend_revives_an_expired_invitation(author, assessment):
    invitation, _ = _invited(author, assessment)
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.Status.EXPIRED, expires_at=timezone.now() - timedelta(days=1)
    )
    author.client.post(f"/app/invitations/{invitation.pk}/resend")
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert opens(LINK.findall(mail.outbox[-1].body)[0]) is not None


def test_resend_of_a_started_invitation_is_refused(author, assessment):
    invitation, link = _invited(author, assessment)
    attempt_start(invitation=invitation)
    response = author.client.post(f"/app/invitations/{invitation.pk}/resend", follow=True)
    assert "Ada Lovelace has started: only an invitation not yet started gets a new link." in (
        response.content.decode()
    )
    assert len(mail.outbox) == 1
    assert Invitation.objects.get().token_hash == token_hash(link.rsplit("/", 1)[1])


def test_revoke_shows_the_candidate_the_withdrawn_message(author, assessment):
    invitation, link = _invited(author, assessment)
    response = author.client.post(f"/app/invitations/{invitation.pk}/revoke")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert invitation.finish_reason == "revoked by author@acme.test"
    page = Client().get(link.removeprefix("http://testserver"), follow=True)
    assert b"This invitation was withdrawn by the company that sent it." in page.content
    assert AuditEvent.objects.filter(action="invitation.revoke").exists()


def test_revoking_a_started_attempt_ends_it(author, assessment):
    invitation, link = _invited(author, assessment)
    candidate = opens(link)
    assert candidate.post("/attempt/start").status_code == 302
    author.client.post(f"/app/invitations/{invitation.pk}/revoke")
    response = candidate.post(
        "/attempt/steps/1/draft", '{"code": "x = 1"}', content_type="application/json"
    )
    assert response.status_code in (403, 409, 410)
    assert b"withdrawn" in candidate.get("/attempt/", follow=True).content


def test_a_submitted_invitation_cannot_be_revoked(author, assessment):
    invitation, _ = _invited(author, assessment)
    attempt_finish(invitation=attempt_start(invitation=invitation))
    response = author.client.post(f"/app/invitations/{invitation.pk}/revoke", follow=True)
    assert "Ada Lovelace has finished: there is nothing to revoke." in response.content.decode()
    assert Invitation.objects.get().status == Invitation.Status.SUBMITTED


def test_extending_an_expired_invitation_opens_its_link_again(author, assessment):
    invitation, link = _invited(author, assessment)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(hours=1)
    )
    assert opens(link) is None  # expired (and settled to EXPIRED)
    assert Invitation.objects.get().status == Invitation.Status.EXPIRED
    response = author.client.post(f"/app/invitations/{invitation.pk}/extend", {"minutes": "120"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED
    assert timedelta(minutes=119) < invitation.expires_at - timezone.now() <= timedelta(minutes=120)
    assert opens(link) is not None
    event = AuditEvent.objects.get(action="invitation.extend")
    assert event.detail["minutes"] == 120 and event.detail["status_before"] == "expired"


def test_extending_a_started_attempt_moves_its_deadline(author, assessment):
    invitation, _ = _invited(author, assessment)
    invitation = attempt_start(invitation=invitation)
    deadline = invitation.deadline
    author.client.post(f"/app/invitations/{invitation.pk}/extend", {"minutes": "20"})
    invitation.refresh_from_db()
    assert invitation.deadline == deadline + timedelta(minutes=20)
    assert invitation.status == Invitation.Status.STARTED


def test_an_attempt_whose_time_ran_out_cannot_be_extended(author, assessment):
    invitation, _ = _invited(author, assessment)
    attempt_start(invitation=invitation)
    Invitation.objects.filter(pk=invitation.pk).update(
        deadline=timezone.now() - timedelta(seconds=1)
    )
    response = author.client.post(
        f"/app/invitations/{invitation.pk}/extend", {"minutes": "20"}, follow=True
    )
    assert "has run out and the attempt is closed: invite them again" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.SUBMITTED
    with pytest.raises(AssessmentError, match="invite them again"):
        invitation_extend(invitation=invitation, actor=None, minutes=5)


def test_a_bad_number_of_minutes_is_a_message_not_an_error_page(author, assessment):
    invitation, _ = _invited(author, assessment)
    response = author.client.post(
        f"/app/invitations/{invitation.pk}/extend", {"minutes": "soon"}, follow=True
    )
    assert response.status_code == 200
    assert "Extend: Minutes: Enter a whole number." in response.content.decode()


def test_extra_time_before_the_start_counts_in_the_deadline(author, assessment):
    invitation, _ = _invited(author, assessment)
    response = author.client.post(
        f"/app/invitations/{invitation.pk}/extra-time", {"extra_minutes": "25"}
    )
    assert response.status_code == 302
    invitation = attempt_start(invitation=Invitation.objects.get())
    assert invitation.deadline == invitation.started_at + timedelta(minutes=60 + 25)
    event = AuditEvent.objects.get(action="invitation.extra_time")
    assert (event.detail["before"], event.detail["after"]) == (0, 25)
    # Once started, extra time is refused (Extend moves the deadline instead).
    response = author.client.post(
        f"/app/invitations/{invitation.pk}/extra-time", {"extra_minutes": "50"}, follow=True
    )
    assert "extra time is set before the start" in response.content.decode()
    assert Invitation.objects.get().extra_minutes == 25


def test_the_page_lists_invitations_with_their_actions(author, assessment):
    invitation, _ = _invited(author, assessment)
    body = author.client.get(url(assessment)).content.decode()
    assert "Ada Lovelace" in body and "ada@example.com" in body
    for action in ["resend", "revoke", "extend", "extra-time"]:
        assert f"/app/invitations/{invitation.pk}/{action}" in body


def test_a_started_candidate_shows_a_score_that_links_to_their_report(author, assessment):
    invitation, _ = _invited(author, assessment)
    attempt_start(invitation=invitation)
    Submission.objects.create(
        owner=invitation.candidate,
        exercise_version=Exercise.objects.get(slug="arith").current_version,
        code="def add(a, b):\n    return a + b\n",
        suite=Submission.Suite.HIDDEN,
        status=Submission.Status.GRADED,
        verdict="ACCEPTED",
        score=100.0,
        report={"verdict": "ACCEPTED", "score": 100.0, "tests": []},
    )
    body = author.client.get(url(assessment)).content.decode()
    # arith (weight 1) accepted, the question (weight 1) unanswered: 50 of 100.
    assert re.search(rf'href="/app/candidates/{invitation.pk}"[^>]*>50\.0<', body)


def test_a_reviewer_cannot_post_any_invitation_endpoint(author, assessment, make_member):
    invitation, _ = _invited(author, assessment)
    reviewer = make_member("acme", "reviewer")
    posts = [
        (
            url(assessment, "/invitations"),
            {"name": "X", "email": "x@example.com", "extra_minutes": "0", "expiry_days": "1"},
        ),
        (url(assessment, "/invitations/csv"), {"text": "X,x@example.com", "expiry_days": "1"}),
        (f"/app/invitations/{invitation.pk}/resend", {}),
        (f"/app/invitations/{invitation.pk}/revoke", {}),
        (f"/app/invitations/{invitation.pk}/extend", {"minutes": "5"}),
        (f"/app/invitations/{invitation.pk}/extra-time", {"extra_minutes": "5"}),
    ]
    for path, data in posts:
        assert reviewer.client.post(path, data).status_code == 403, path
    invitation.refresh_from_db()
    assert (invitation.status, invitation.extra_minutes) == (Invitation.Status.INVITED, 0)
    assert Invitation.objects.count() == 1 and len(mail.outbox) == 1


def test_another_organization_gets_404_on_every_invitation_endpoint(
    author, assessment, make_member
):
    invitation, link = _invited(author, assessment)
    outsider = make_member("bravo", "owner")
    paths = [
        url(assessment, "/invitations"),
        url(assessment, "/invitations/csv"),
        *(
            f"/app/invitations/{invitation.pk}/{a}"
            for a in ["resend", "revoke", "extend", "extra-time"]
        ),
    ]
    for path in paths:
        assert (
            outsider.client.post(path, {"minutes": "5", "extra_minutes": "5"}).status_code == 404
        ), path
        assert outsider.client.get(path).status_code == 404, path
        assert author.client.get(path).status_code == 405, path
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.INVITED
    assert opens(link) is not None


def test_a_mail_server_that_fails_leaves_the_invitation_and_shows_the_link(
    author, assessment, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    response = invite(author, assessment)
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.last_sent_at is None
    body = response.content.decode()
    assert "could not be sent" in body
    (link,) = LINK.findall(body)
    assert opens(link) is not None


def test_the_services_refuse_duplicates_within_one_batch(author, assessment):
    with pytest.raises(AssessmentError, match="listed twice"):
        invitations_create(
            assessment=assessment,
            actor=author.membership.user,
            candidates=[("A", "a@example.com", 0), ("B", "A@example.com", 0)],
            expires_at=timezone.now() + timedelta(days=1),
            base_url="http://testserver",
        )
    assert not Invitation.objects.exists()


def test_invitations_made_outside_the_page_still_work_with_the_pages(author, assessment):
    invitation, _ = invitation_create(
        assessment=assessment, candidate_name="Admin-made", candidate_email="adm@example.com"
    )
    response = author.client.post(f"/app/invitations/{invitation.pk}/resend")
    assert response.status_code == 200
    assert LINK.findall(mail.outbox[-1].body)
