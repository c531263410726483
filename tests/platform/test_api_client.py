"""The Python client (api.client) against a real HTTP server: pytest-django's live server (the
whole Django app in a thread, on the test database, real Redis for the rate limits) and a
real webhook receiver (http.server in a thread). Nothing here grades code, so no Docker.

Also the signature check on its own: verify_signature accepts exactly what the platform signs,
fresh."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.api_keys import api_key_authenticate
from accounts.models import ApiKey, Organization
from api.client import TensorJudge, TensorJudgeError, verify_signature
from api.models import WebhookDelivery
from api.webhooks.delivery import delivery_attempt
from api.webhooks.services import event_emit
from assessments.models import Invitation
from assessments.reports import assessment_report
from assessments.services import assessment_create
from bank.models import Exercise, Question
from submissions.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "whsec_test-secret"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"v1={digest.hexdigest()}"


# -- verify_signature ----------------------------------------------------------------------------


def test_a_fresh_delivery_signed_with_the_secret_verifies():
    body, now = b'{"id": "e1", "type": "ping"}', int(time.time())
    assert verify_signature(SECRET, str(now), body, sign(SECRET, now, body))
    assert verify_signature(SECRET, now, body.decode(), sign(SECRET, now, body))


def test_a_changed_body_another_secret_or_a_garbled_header_does_not_verify():
    body, now = b'{"id": "e1", "type": "ping"}', int(time.time())
    header = sign(SECRET, now, body)
    assert not verify_signature(SECRET, now, body + b" ", header)
    assert not verify_signature("whsec_other", now, body, header)
    assert not verify_signature(SECRET, now + 1, body, header)  # the timestamp is signed too
    assert not verify_signature(SECRET, now, body, header.replace("v1=", "v0="))
    assert not verify_signature(SECRET, now, body, "")
    assert not verify_signature(SECRET, "yesterday", body, header)


def test_a_stale_or_future_timestamp_is_refused_even_with_a_good_signature():
    body, now = b"{}", 1_800_000_000
    old, future = now - 301, now + 301
    assert not verify_signature(SECRET, old, body, sign(SECRET, old, body), now=now)
    assert not verify_signature(SECRET, future, body, sign(SECRET, future, body), now=now)
    assert verify_signature(SECRET, old, body, sign(SECRET, old, body), tolerance_s=600, now=now)


def test_any_of_several_signatures_verifies_while_a_secret_is_rotated():
    body, now = b"{}", int(time.time())
    header = f"{sign('whsec_old', now, body)}, {sign(SECRET, now, body)}"
    assert verify_signature(SECRET, now, body, header)
    assert verify_signature("whsec_old", now, body, header)
    assert not verify_signature("whsec_third", now, body, header)


# -- Against the live server ---------------------------------------------------------------------


def create_api_key(*args: str) -> str:
    """`manage.py create_api_key ...` as the README runs it: what it prints on stdout."""
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_key", *args, stdout=out, stderr=err)
    assert "shown this once" in err.getvalue()
    return out.getvalue().strip()


@pytest.fixture
def site(live_server: Any, redis_server: Any, bank: Any, settings: Any) -> dict[str, Any]:
    """The live server, an admin key of acme (made by the management command of the README's
    walkthrough) and a client with it, an assessment of two steps."""
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True  # the receiver is on 127.0.0.1
    Organization.objects.create(slug="acme", name="Acme")
    raw = create_api_key("--organization", "acme", "--scopes", "admin", "--name", "Our ATS")
    key = ApiKey.objects.get(prefix=raw.split("_")[1])
    assert (key.name, key.scopes, key.organization.slug) == ("Our ATS", ["admin"], "acme")
    assessment = assessment_create(
        organization=key.organization,
        title="ML engineer screen",
        duration_minutes=60,
        steps=[
            (Exercise.objects.get(slug="arith"), 3),
            Question.objects.get(slug="early-stopping-signal"),
        ],
    )
    return {
        "url": live_server.url,
        "key": key,
        "raw": raw,
        "tj": TensorJudge(live_server.url, raw),
        "assessment": assessment,
    }


def test_create_api_key_takes_scopes_and_refuses_what_it_cannot_make(db):
    Organization.objects.create(slug="acme", name="Acme")
    raw = create_api_key("--organization", "acme", "--scopes", "read,invite")
    assert api_key_authenticate(raw).scopes == ["invite", "read"]
    with pytest.raises(CommandError, match=r"no organization 'nope'.*acme"):
        create_api_key("--organization", "nope")
    with pytest.raises(CommandError, match="Scopes must be"):
        create_api_key("--organization", "acme", "--scopes", "root")


def test_assessments_are_listed_and_read(site):
    tj, assessment = site["tj"], site["assessment"]
    assert [a["id"] for a in tj.assessments()] == [assessment.id]
    detail = tj.assessment(assessment.id)
    assert detail["title"] == "ML engineer screen"
    assert [(s["kind"], s["slug"], s["weight"]) for s in detail["steps"]] == [
        ("exercise", "arith", 3),
        ("question", "early-stopping-signal", 1),
    ]


def test_invite_returns_the_invitation_with_its_link_and_emails_the_candidate(site):
    invited = site["tj"].invite(
        site["assessment"].id,
        "Ada Lovelace",
        "ada@candidates.test",
        external_id="ats-42",
        callback_url="https://ats.example.com/hooks",
    )
    assert invited["status"] == "invited"
    assert invited["external_id"] == "ats-42"
    assert invited["callback_url"] == "https://ats.example.com/hooks"
    assert invited["invitation_url"].startswith(site["url"] + "/a/")
    (email,) = mail.outbox
    assert invited["invitation_url"] in email.body
    again = site["tj"].invitation(invited["id"])
    assert "invitation_url" not in again  # the link is shown once
    assert again["candidate_email"] == "ada@candidates.test"


def test_the_same_idempotency_key_invites_once(site):
    tj, assessment_id = site["tj"], site["assessment"].id
    first = tj.invite(assessment_id, "Ada", "ada@candidates.test", idempotency_key="ats-app-42")
    second = tj.invite(assessment_id, "Ada", "ada@candidates.test", idempotency_key="ats-app-42")
    assert second == first
    assert Invitation.objects.count() == 1


def test_errors_raise_with_the_apis_code_message_fields_and_request_id(site):
    tj = site["tj"]
    with pytest.raises(TensorJudgeError) as raised:
        tj.invitation("00000000-0000-0000-0000-000000000000")
    assert raised.value.status == 404
    assert raised.value.code == "not_found"
    assert raised.value.request_id  # X-Request-Id, to quote
    with pytest.raises(TensorJudgeError) as raised:
        tj.invite(site["assessment"].id, "Ada", "not-an-email")
    assert raised.value.status == 400
    assert raised.value.code == "validation_error"
    assert "candidate_email" in raised.value.fields
    with pytest.raises(TensorJudgeError) as raised:
        TensorJudge(site["url"], "tj_0000_wrong").assessments()
    assert raised.value.status == 401


def test_a_batch_is_all_or_nothing(site):
    tj, assessment_id = site["tj"], site["assessment"].id
    with pytest.raises(TensorJudgeError) as raised:
        tj.invite_batch(
            assessment_id,
            [{"name": "Ada", "email": "ada@candidates.test"}, {"name": "Bob", "email": "nope"}],
        )
    assert raised.value.status == 400
    # The entry at index 1 is named ("invitations.1.candidate_email" or "invitations[1]....").
    assert any(re.match(r"invitations(\.1\.|\[1\]\.)", name) for name in raised.value.fields)
    assert not Invitation.objects.exists()
    invited = tj.invite_batch(
        assessment_id,
        [
            {"name": "Ada", "email": "ada@candidates.test", "external_id": "a-1"},
            {"candidate_name": "Bob", "candidate_email": "bob@candidates.test"},
        ],
    )
    assert [i["candidate_name"] for i in invited] == ["Ada", "Bob"]
    assert all(i["invitation_url"] for i in invited)
    assert Invitation.objects.count() == 2


def test_invitations_follow_every_cursor_page_with_the_filters(site):
    tj, assessment_id = site["tj"], site["assessment"].id
    made = [
        tj.invite(assessment_id, f"Candidate {n}", f"c{n}@candidates.test", external_id=f"x-{n}")
        for n in range(5)
    ]
    listed = list(tj.invitations(assessment=assessment_id, limit=2))
    assert [i["id"] for i in listed] == [i["id"] for i in reversed(made)]  # newest first
    assert [i["id"] for i in tj.invitations(external_id="x-3")] == [made[3]["id"]]
    assert list(tj.invitations(status="graded")) == []


def test_revoke_and_extend_follow_the_services_rules(site):
    tj = site["tj"]
    invited = tj.invite(site["assessment"].id, "Ada", "ada@candidates.test")
    extended = tj.extend(invited["id"], 60)
    assert extended["expires_at"] > invited["expires_at"]
    revoked = tj.revoke(invited["id"])
    assert revoked["status"] == "revoked"
    with pytest.raises(TensorJudgeError) as raised:
        tj.extend(invited["id"], 60)
    assert raised.value.status == 409


def _finish(invitation_id: str, *, score: float | None) -> None:
    """The candidate worked 45 minutes and submitted; with a score, arith was graded."""
    invitation = Invitation.objects.get(id=invitation_id)
    start = timezone.now() - timedelta(minutes=50)
    Invitation.objects.filter(id=invitation.id).update(
        status=Invitation.Status.SUBMITTED,
        started_at=start,
        deadline=start + timedelta(minutes=60),
        finished_at=start + timedelta(minutes=45),
    )
    if score is not None:
        Submission.objects.create(
            owner=invitation.candidate,
            exercise_version=Exercise.objects.get(slug="arith").current_version,
            code="def add(a, b):\n    return a + b\n",
            suite=Submission.Suite.HIDDEN,
            status=Submission.Status.GRADED,
            verdict="WRONG_ANSWER",
            score=score,
            report={"verdict": "WRONG_ANSWER", "score": score, "tests": []},
        )


def test_wait_until_polls_until_the_status_and_report_gives_the_total(site):
    tj = site["tj"]
    invited = tj.invite(site["assessment"].id, "Ada", "ada@candidates.test")
    finisher = threading.Timer(0.5, _finish, args=[invited["id"]], kwargs={"score": 60.0})
    finisher.start()
    try:
        done = tj.wait_until(invited["id"], {"graded", "expired"}, timeout_s=20, poll_s=0.1)
    finally:
        finisher.join()
    assert done["status"] == "graded"
    assert done["report_url"]
    report = tj.report(invited["id"])
    (row,) = assessment_report(site["assessment"]).rows
    assert report["total"] == row.total == 45.0  # arith (weight 3) at 60, the question at 0
    assert report["time_spent_s"] == 45 * 60
    assert [s["score"] for s in report["steps"]] == [60.0, 0.0]


def test_wait_until_gives_up_after_its_timeout(site):
    tj = site["tj"]
    invited = tj.invite(site["assessment"].id, "Ada", "ada@candidates.test")
    started = time.monotonic()
    with pytest.raises(TimeoutError, match="still 'invited'"):
        tj.wait_until(invited["id"], "graded", timeout_s=0.5, poll_s=0.1)
    assert time.monotonic() - started < 5


def test_a_429_is_retried_after_its_retry_after_then_raised(site, settings):
    settings.API_REQUESTS_PER_MINUTE = 2
    waits: list[float] = []
    tj = TensorJudge(site["url"], site["raw"], retries=2, sleep=waits.append)
    tj.assessments()
    tj.assessments()
    with pytest.raises(TensorJudgeError) as raised:
        tj.assessments()
    assert raised.value.status == 429
    assert raised.value.code == "rate_limited"
    assert raised.value.retry_after_s is not None and 1 <= raised.value.retry_after_s <= 60
    assert len(waits) == 2 and all(1 <= w <= 60 for w in waits)  # retried twice, then raised


def test_a_redirect_is_raised_and_never_carries_the_key_elsewhere():
    seen: list[str | None] = []

    class Elsewhere(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization"))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: Any) -> None:
            pass

    elsewhere = ThreadingHTTPServer(("127.0.0.1", 0), Elsewhere)
    target = f"http://127.0.0.1:{elsewhere.server_port}/steal"

    class Redirector(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    redirector = ThreadingHTTPServer(("127.0.0.1", 0), Redirector)
    for server in (elsewhere, redirector):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        tj = TensorJudge(f"http://127.0.0.1:{redirector.server_port}", "tj_secret_key", retries=0)
        with pytest.raises(TensorJudgeError) as raised:
            tj.assessment(1)
        assert raised.value.status == 302
        assert seen == []
    finally:
        for server in (elsewhere, redirector):
            server.shutdown()
            server.server_close()


def test_an_unreachable_site_raises_a_connection_error():
    waits: list[float] = []
    tj = TensorJudge("http://127.0.0.1:9", "tj_x_y", timeout_s=2, retries=1, sleep=waits.append)
    with pytest.raises(TensorJudgeError) as raised:
        tj.assessments()
    assert raised.value.status == 0 and raised.value.code == "connection_error"
    assert waits == [1.0]


# -- Webhooks, with a real receiver --------------------------------------------------------------


class Receiver:
    """An HTTP server on 127.0.0.1 that records every POST and answers `status`."""

    def __init__(self) -> None:
        self.requests: list[tuple[Any, bytes]] = []  # (headers: case-insensitive, body)
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((self.headers, body))
                self.send_response(receiver.status)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def verified(self, secret: str) -> list[dict[str, Any]]:
        """The bodies of the deliveries whose signature verifies with `secret`."""
        return [
            json.loads(body)
            for headers, body in self.requests
            if verify_signature(
                secret, headers["TensorJudge-Timestamp"], body, headers["TensorJudge-Signature"]
            )
        ]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_a_webhook_is_registered_and_its_ping_verifies_with_the_secret_shown_once(site, receiver):
    tj = site["tj"]
    created = tj.add_webhook(receiver.url, ["invitation.graded"], description="our ATS")
    assert created["secret"]
    (ping,) = receiver.verified(created["secret"])
    assert ping["type"] == "ping"
    assert receiver.verified("whsec_wrong") == []
    listed = tj.webhooks()
    assert [w["id"] for w in listed] == [created["id"]]
    assert "secret" not in tj.webhook(created["id"])


def test_a_receiver_that_fails_the_ping_is_refused(site, receiver):
    receiver.status = 500
    with pytest.raises(TensorJudgeError) as raised:
        site["tj"].add_webhook(receiver.url, ["invitation.graded"])
    assert raised.value.code == "webhook_unreachable"
    assert site["tj"].webhooks() == []


def test_a_delivery_is_logged_verifies_and_can_be_redelivered(site, receiver):
    tj = site["tj"]
    created = tj.add_webhook(receiver.url, ["submission.graded"])
    data = {"submission_id": "s1", "invitation_id": None, "exercise": "arith"}
    event = event_emit(organization=site["key"].organization, type="submission.graded", data=data)
    receiver.status = 503
    log = tj.deliveries(created["id"])
    pending = next(d for d in log if d["event"]["id"] == str(event.id))
    delivery_attempt(delivery_id=pending["id"])
    failed = next(d for d in tj.deliveries(created["id"]) if d["id"] == pending["id"])
    assert failed["status"] == "pending" and failed["last_status_code"] == 503

    receiver.status = 200
    redelivered = tj.redeliver(created["id"], pending["id"])
    assert redelivered["status"] == "succeeded" and redelivered["last_status_code"] == 200
    bodies = [b for b in receiver.verified(created["secret"]) if b["type"] == "submission.graded"]
    assert len(bodies) == 2  # the failed attempt and the redelivery: one event id
    assert {b["id"] for b in bodies} == {str(event.id)}
    assert bodies[-1]["data"]["submission_id"] == "s1"
    tj.delete_webhook(created["id"])
    assert tj.webhooks() == []


def test_callback_deliveries_verify_with_the_callback_secret(site, receiver):
    tj = site["tj"]
    invited = tj.invite(
        site["assessment"].id, "Ada", "ada@candidates.test", callback_url=receiver.url
    )
    invitation = Invitation.objects.get(id=invited["id"])
    event_emit(
        organization=site["key"].organization,
        type="invitation.started",
        data={"id": invited["id"]},
        invitation=invitation,
    )
    (delivery,) = WebhookDelivery.objects.filter(callback_url=receiver.url)
    delivery_attempt(delivery_id=delivery.id)
    (body,) = receiver.verified(tj.callback_secret())
    assert body["type"] == "invitation.started" and body["data"]["id"] == invited["id"]
