"""Delivering webhooks to a real HTTP receiver: signed as the README says, in order per endpoint,
retried with backoff, given up after 24 hours (the endpoint disabled, the owners emailed),
redelivered by hand; and end to end, events of the real services reaching the receiver through
the real Celery worker.

Time is driven, not waited for: the delivery service takes `now`, so a day of retries takes a
second."""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from webhook_receiver import Receiver, readme_verify

import stack
from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks.delivery import Outcome, deliveries_due, delivery_attempt
from api.webhooks.services import event_emit
from api.webhooks.signing import signature
from assessments.models import Invitation
from assessments.services import (
    assessment_create,
    attempt_finish,
    attempt_start,
    attempt_submit,
    invitation_create,
)
from bank.models import Exercise

pytestmark = pytest.mark.django_db
ALL_EVENTS = [
    "invitation.started",
    "invitation.submitted",
    "invitation.graded",
    "invitation.expired",
    "submission.graded",
]


@pytest.fixture(autouse=True)
def local_receivers(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True  # the receivers listen on 127.0.0.1


@pytest.fixture
def admin(make_api_key: Any) -> Any:
    return make_api_key("acme", ("admin",))[2]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with Receiver() as hook:
        yield hook


def register(admin: Any, receiver: Receiver) -> dict[str, Any]:
    response = admin.post(
        "/api/v1/webhooks", {"url": receiver.url, "events": ALL_EVENTS}, format="json"
    )
    assert response.status_code == 201, response.json()
    return dict(response.json())


def emit(endpoint_id: int, count: int) -> list[WebhookDelivery]:
    organization = WebhookEndpoint.objects.get(id=endpoint_id).organization
    for n in range(count):
        event_emit(organization=organization, type="invitation.submitted", data={"n": n})
    return list(WebhookDelivery.objects.filter(endpoint_id=endpoint_id, sequence__gt=1))


def attempt(delivery: WebhookDelivery, now: datetime) -> Outcome:
    return delivery_attempt(delivery_id=delivery.id, now=now)


def fresh(delivery: WebhookDelivery) -> WebhookDelivery:
    delivery.refresh_from_db()
    return delivery


def test_a_delivery_is_signed_as_the_readme_says(admin, receiver):
    created = register(admin, receiver)
    [delivery] = emit(created["id"], 1)
    assert attempt(delivery, timezone.now()) is Outcome.DELIVERED
    sent = receiver.received[-1]
    assert sent.headers["content-type"] == "application/json"
    assert sent.headers["tensorjudge-event-id"] == str(delivery.event_id) == sent.json["id"]
    assert sent.headers["tensorjudge-delivery-id"] == str(delivery.id)
    assert sent.headers["tensorjudge-event-type"] == "invitation.submitted"
    assert set(sent.json) == {"id", "type", "created_at", "data"}
    assert sent.json["data"] == {"n": 0} and sent.json["created_at"].endswith("Z")
    verify = readme_verify()
    timestamp, header = sent.headers["tensorjudge-timestamp"], sent.headers["tensorjudge-signature"]
    assert abs(int(timestamp) - time.time()) < 60
    assert verify(created["secret"], timestamp, sent.body, header)
    assert not verify(created["secret"], timestamp, sent.body.replace(b"0", b"1"), header)
    stale = str(int(time.time()) - 3600)
    assert not verify(
        created["secret"], stale, sent.body, signature(created["secret"], int(stale), sent.body)
    )
    delivery = fresh(delivery)
    assert delivery.status == "succeeded" and delivery.last_status_code == 200
    assert delivery.last_response_excerpt == '{"ok": true}' and delivery.attempts == 1


def test_order_holds_per_endpoint_while_the_receiver_fails_once(admin, receiver):
    created = register(admin, receiver)
    receiver.answers = [500]
    first, second, third = emit(created["id"], 3)
    now = timezone.now()
    assert attempt(first, now) is Outcome.RETRY
    assert attempt(second, now) is Outcome.WAITING  # the first one is not through
    assert attempt(third, now) is Outcome.WAITING
    assert deliveries_due(now=now) == []  # the retry is 30 s away
    later = now + timedelta(seconds=31)
    sent_order = []
    while due := deliveries_due(now=later):
        assert len(due) == 1  # one at a time per endpoint
        [delivery_id] = due
        assert delivery_attempt(delivery_id=delivery_id, now=later) is Outcome.DELIVERED
        sent_order.append(delivery_id)
    assert sent_order == [first.id, second.id, third.id]
    ids = [r.json["id"] for r in receiver.received[1:]]
    events = [str(d.event_id) for d in (first, second, third)]
    assert ids == [events[0], events[0], events[1], events[2]]
    assert [r.answered for r in receiver.received[1:]] == [500, 200, 200, 200]


def test_a_receiver_that_fails_3_times_gets_retries_with_backoff_then_the_delivery(admin, receiver):
    created = register(admin, receiver)
    receiver.answers = [500, 502, 503]
    [delivery] = emit(created["id"], 1)
    now, waits = timezone.now(), []
    while (outcome := attempt(delivery, now)) is Outcome.RETRY:
        delivery = fresh(delivery)
        assert attempt(delivery, delivery.next_attempt_at - timedelta(seconds=1)) is (
            Outcome.WAITING
        )
        waits.append((delivery.next_attempt_at - now).total_seconds())
        now = delivery.next_attempt_at
    assert outcome is Outcome.DELIVERED
    assert waits == [30, 60, 120]
    delivery = fresh(delivery)
    assert delivery.status == "succeeded" and delivery.attempts == 4
    assert delivery.last_status_code == 200 and delivery.last_error == ""
    tries = receiver.received[1:]
    assert [r.answered for r in tries] == [500, 502, 503, 200]
    assert len({r.body for r in tries}) == 1  # the same body every time, signed afresh
    assert all(
        readme_verify()(
            created["secret"],
            r.headers["tensorjudge-timestamp"],
            r.body,
            r.headers["tensorjudge-signature"],
        )
        for r in tries
    )


def test_a_receiver_that_always_fails_gets_the_endpoint_disabled_after_24_h_and_owners_told(
    admin, make_member, django_capture_on_commit_callbacks
):
    owner, _ = make_member("acme", "owner"), make_member("acme", "author")
    with Receiver([200], default=500) as failing:
        created = register(admin, failing)
        first, second = emit(created["id"], 2)
        started = now = timezone.now()
        attempts_at = []
        with django_capture_on_commit_callbacks(execute=True):
            while (outcome := attempt(first, now)) is Outcome.RETRY:
                attempts_at.append(now)
                now = fresh(first).next_attempt_at
            attempts_at.append(now)
        assert outcome is Outcome.GAVE_UP
        assert attempts_at[-1] - started >= timedelta(hours=24)
        assert attempts_at[-1] - started < timedelta(hours=25)
        gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(attempts_at)]
        assert gaps[:4] == [30, 60, 120, 240] and max(gaps) == 3600
        endpoint = WebhookEndpoint.objects.get(id=created["id"])
        assert not endpoint.is_active and endpoint.disabled_at == attempts_at[-1]
        assert "HTTP 500" in endpoint.disabled_reason
        assert fresh(first).status == fresh(second).status == "failed"
        assert {r.json["id"] for r in failing.received[1:]} == {str(first.event_id)}
        assert len(failing.received) == 1 + len(attempts_at)
    [email] = mail.outbox
    assert email.to == [owner.membership.user.email]  # the owners, not the author
    assert failing.url in email.subject and "HTTP 500" in email.body
    shown = admin.get(f"/api/v1/webhooks/{created['id']}").json()
    assert shown["is_active"] is False and shown["disabled_at"].endswith("Z")
    emit(created["id"], 1)  # a disabled endpoint gets no new deliveries
    assert WebhookDelivery.objects.filter(endpoint_id=created["id"]).count() == 3


def test_a_failed_delivery_is_redelivered_by_hand_and_succeeds(admin, receiver, settings):
    created = register(admin, receiver)
    receiver.answers = [500]
    settings.WEBHOOK_GIVE_UP_AFTER_S = 0  # the first failure gives up
    [delivery] = emit(created["id"], 1)
    assert attempt(delivery, timezone.now()) is Outcome.GAVE_UP
    assert fresh(delivery).status == "failed"
    url = f"/api/v1/webhooks/{created['id']}/deliveries/{delivery.id}/redeliver"
    response = admin.post(url)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "succeeded" and body["attempts"] == 2
    assert body["last_status_code"] == 200 and body["delivered_at"].endswith("Z")
    assert [r.answered for r in receiver.received[1:]] == [500, 200]
    again = admin.post(url).json()  # a succeeded one is sent again too
    assert again["status"] == "succeeded" and again["attempts"] == 3
    assert len(receiver.received) == 4
    log = admin.get(f"/api/v1/webhooks/{created['id']}/deliveries?limit=1").json()
    assert [d["id"] for d in log["results"]] == [delivery.id] and log["next"]
    assert (
        admin.post(f"/api/v1/webhooks/{created['id']}/deliveries/999999/redeliver").status_code
        == 404
    )


def test_a_redirect_is_a_failure_and_is_not_followed(admin, receiver):
    created = register(admin, receiver)
    with Receiver() as elsewhere:
        receiver.answers, receiver.location = [302], elsewhere.url
        [delivery] = emit(created["id"], 1)
        assert attempt(delivery, timezone.now()) is Outcome.RETRY
        assert elsewhere.received == []
    assert fresh(delivery).last_status_code == 302


def test_a_refused_connection_is_a_failure_with_its_reason(admin, receiver):
    created = register(admin, receiver)
    with Receiver() as gone:
        url = gone.url
    WebhookEndpoint.objects.filter(id=created["id"]).update(url=url)
    [delivery] = emit(created["id"], 1)
    assert attempt(delivery, timezone.now()) is Outcome.RETRY
    delivery = fresh(delivery)
    assert delivery.last_status_code is None and "refused" in delivery.last_error.lower()


def test_only_the_first_kilobyte_of_the_answer_is_kept(admin):
    with Receiver(body=b"x" * 5000) as chatty:
        created = register(admin, chatty)
        [delivery] = emit(created["id"], 1)
        assert attempt(delivery, timezone.now()) is Outcome.DELIVERED
    assert fresh(delivery).last_response_excerpt == "x" * 1024


def test_an_invitations_callback_url_gets_its_events_signed_with_the_callback_secret(
    admin, receiver, bank, make_member
):
    organization = make_member("acme", "owner").organization
    assessment = assessment_create(
        organization=organization,
        title="T",
        duration_minutes=30,
        steps=[Exercise.objects.get(slug="arith")],
    )
    invitation, _ = invitation_create(
        assessment=assessment, candidate_name="Ada", candidate_email="ada@c.test"
    )
    Invitation.objects.filter(id=invitation.id).update(callback_url=receiver.url)
    invitation.refresh_from_db()
    for n in range(2):
        event_emit(
            organization=organization,
            type="invitation.started",
            data={"n": n},
            invitation=invitation,
        )
    first, second = WebhookDelivery.objects.filter(endpoint__isnull=True).order_by("sequence")
    assert (first.sequence, second.sequence) == (1, 2)
    now = timezone.now()
    assert attempt(second, now) is Outcome.WAITING  # the callback URL is a queue of its own
    assert attempt(first, now) is Outcome.DELIVERED
    assert attempt(second, now) is Outcome.DELIVERED
    secret = admin.get("/api/v1/webhooks/callback-secret").json()["secret"]
    verify = readme_verify()
    assert [r.json["data"] for r in receiver.received] == [{"n": 0}, {"n": 1}]
    assert all(
        verify(
            secret, r.headers["tensorjudge-timestamp"], r.body, r.headers["tensorjudge-signature"]
        )
        for r in receiver.received
    )


@pytest.mark.django_db(transaction=True)
def test_two_senders_at_once_send_a_delivery_once(admin, receiver, redis_server):
    created = register(admin, receiver)
    [delivery] = emit(created["id"], 1)
    now = timezone.now()
    outcomes: list[Outcome] = []
    barrier = threading.Barrier(4)

    def send() -> None:
        barrier.wait()
        try:
            outcomes.append(attempt(delivery, now))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count(Outcome.DELIVERED) == 1, outcomes
    assert set(outcomes) <= {Outcome.DELIVERED, Outcome.SKIPPED, Outcome.WAITING}, outcomes
    assert len(receiver.received) == 2  # the ping and one delivery


# -- end to end: the real services, the real worker ------------------------------------------


@pytest.fixture(scope="module")
def webhook_platform_env(redis_server: Any) -> Iterator[None]:
    """The worker and gunicorn may post to local receivers; messages left in the broker by
    earlier tests (ids of rolled-back rows) are dropped first."""
    from config.celery import app

    app.control.purge()
    os.environ["TJ_WEBHOOK_ALLOW_PRIVATE_URLS"] = "true"
    yield
    os.environ.pop("TJ_WEBHOOK_ALLOW_PRIVATE_URLS", None)


@pytest.fixture(scope="module")
def platform(webhook_platform_env: None, platform: Any) -> Any:
    return platform


def wait_for_types(
    receiver: Receiver, count: int, platform: Any, timeout_s: float = 60
) -> list[str]:
    stack.wait_until(
        lambda: len(receiver.received) >= count,
        timeout_s=timeout_s,
        what=f"{count} webhooks (got {receiver.types()})\n{platform.logs_tail()}",
    )
    return receiver.types()


@pytest.mark.django_db(transaction=True)
def test_an_attempt_reaches_the_receiver_in_order_through_the_real_worker(
    platform, bank, make_member, make_api_key, receiver
):
    """Registered through gunicorn; started, submitted (the service calls of the candidate's
    pages), graded in the Docker sandbox by the Celery worker: every event delivered by it."""
    import requests

    organization = make_member("acme", "owner").organization
    _, raw, _ = make_api_key("acme", ("admin",))
    response = requests.post(
        f"{platform.base_url}/api/v1/webhooks",
        json={"url": receiver.url, "events": ALL_EVENTS},
        headers={"Authorization": f"Bearer {raw}"},
        timeout=30,
    )
    assert response.status_code == 201, response.text
    secret = response.json()["secret"]
    assessment = assessment_create(
        organization=organization,
        title="T",
        duration_minutes=30,
        steps=[Exercise.objects.get(slug="arith")],
    )
    invitation, _ = invitation_create(
        assessment=assessment, candidate_name="Ada", candidate_email="ada@c.test"
    )
    attempt_start(invitation=invitation)
    assert wait_for_types(receiver, 2, platform) == ["ping", "invitation.started"]
    started = receiver.received[1]
    assert started.json["data"]["id"] == str(invitation.id)
    assert started.json["data"]["status"] == "started"
    assert readme_verify()(
        secret,
        started.headers["tensorjudge-timestamp"],
        started.body,
        started.headers["tensorjudge-signature"],
    )
    item = assessment.items.get()
    code = "def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a * b\n"
    attempt_submit(invitation=invitation, item=item, code=code, suite="hidden")
    attempt_finish(invitation=invitation)
    types = wait_for_types(receiver, 5, platform, timeout_s=300)
    assert types == [
        "ping",
        "invitation.started",
        "invitation.submitted",
        "submission.graded",
        "invitation.graded",
    ]
    graded = receiver.received[3].json["data"]
    assert graded["verdict"] == "ACCEPTED" and graded["suite"] == "hidden"
    assert receiver.received[4].json["data"]["status"] == "graded"
