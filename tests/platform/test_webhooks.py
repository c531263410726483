"""Webhooks: registering an endpoint (the test ping to a real HTTP receiver), the API and the
owner's page, and the events the real services emit (attempt start and finish, settling,
grading), each stored once with one numbered delivery per subscribed endpoint."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from webhook_receiver import Receiver, readme_verify

from api.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from api.webhooks import hooks
from api.webhooks.services import event_emit
from api.webhooks.signing import callback_secret
from assessments.models import Invitation
from assessments.services import (
    assessment_create,
    attempt_finish,
    attempt_start,
    invitation_create,
)
from assessments.services.attempts import invitations_settle_due
from bank.models import Exercise
from submissions.models import Submission
from submissions.services import submission_grade

pytestmark = pytest.mark.django_db
EVENTS = ["invitation.submitted", "invitation.graded"]


@pytest.fixture(autouse=True)
def local_receivers(settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True  # the receivers listen on 127.0.0.1


@pytest.fixture
def receiver() -> Any:
    with Receiver() as hook:
        yield hook


@pytest.fixture
def admin(make_api_key: Any) -> Any:
    return make_api_key("acme", ("admin",))[2]


@pytest.fixture
def invitation(bank: Any, make_member: Any) -> Invitation:
    organization = make_member("acme", "owner").organization
    assessment = assessment_create(
        organization=organization,
        title="ML engineer",
        duration_minutes=30,
        steps=[Exercise.objects.get(slug="arith")],
    )
    created, _ = invitation_create(
        assessment=assessment, candidate_name="Ada", candidate_email="ada@candidates.test"
    )
    return created


def register(client: Any, url: str, events: list[str] = EVENTS) -> Any:
    return client.post("/api/v1/webhooks", {"url": url, "events": events}, format="json")


def endpoint_of(organization: Any, url: str, events: list[str]) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        organization=organization, url=url, events=events, secret="whsec_test"
    )


def test_registering_pings_the_url_signed_and_shows_the_secret_once(admin, receiver):
    response = register(admin, receiver.url)
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["secret"].startswith("whsec_") and created["events"] == EVENTS
    assert created["is_active"] is True and created["created_at"].endswith("Z")
    [ping] = receiver.received
    assert ping.json["type"] == "ping" and ping.json["data"]["url"] == receiver.url
    assert ping.headers["tensorjudge-event-id"] == ping.json["id"]
    verify = readme_verify()
    assert verify(
        created["secret"],
        ping.headers["tensorjudge-timestamp"],
        ping.body,
        ping.headers["tensorjudge-signature"],
    )
    assert not verify("whsec_wrong", ping.headers["tensorjudge-timestamp"], ping.body,
                      ping.headers["tensorjudge-signature"])  # fmt: skip
    shown = admin.get(f"/api/v1/webhooks/{created['id']}").json()
    assert "secret" not in shown and shown["url"] == receiver.url
    listed = admin.get("/api/v1/webhooks").json()
    assert [e["id"] for e in listed["results"]] == [created["id"]] and listed["next"] is None
    [logged] = admin.get(f"/api/v1/webhooks/{created['id']}/deliveries").json()["results"]
    assert logged["status"] == "succeeded" and logged["last_status_code"] == 200
    assert logged["event"]["type"] == "ping" and logged["event"]["id"] == ping.json["id"]


def test_a_receiver_that_answers_500_is_refused_and_nothing_is_stored(admin):
    with Receiver(default=500) as failing:
        response = register(admin, failing.url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "webhook_unreachable"
    assert "HTTP 500" in response.json()["error"]["message"]
    assert len(failing.received) == 1
    assert not WebhookEndpoint.objects.exists() and not WebhookEvent.objects.exists()


def test_a_url_nobody_listens_on_is_refused(admin):
    with Receiver() as gone:
        url = gone.url
    response = register(admin, url)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "webhook_unreachable"
    assert not WebhookEndpoint.objects.exists()


def test_a_private_address_is_refused_unless_the_operator_allows_it(admin, receiver, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    response = register(admin, receiver.url)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error" and "private address" in error["fields"]["url"][0]
    assert receiver.received == []  # not even pinged


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.com/x", "events": EVENTS}, "url"),
        ({"url": "https://example.com/x", "events": []}, "events"),
        ({"url": "https://example.com/x", "events": ["invitation.exploded"]}, "events.0"),
        ({"url": "https://example.com/x", "events": EVENTS + EVENTS[:1]}, "events"),
    ],
)
def test_bad_input_is_named(admin, body, field):
    response = admin.post("/api/v1/webhooks", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"], response.json()


@pytest.mark.parametrize("scope", ["read", "invite"])
def test_only_an_admin_key_reaches_webhooks(make_api_key, receiver, scope):
    _, _, client = make_api_key("acme", (scope,))
    assert client.get("/api/v1/webhooks").status_code == 403
    response = register(client, receiver.url)
    assert response.status_code == 403 and response.json()["error"]["code"] == "permission_denied"
    assert receiver.received == []


def test_another_organizations_endpoint_and_deliveries_are_404(admin, make_api_key, receiver):
    created = register(admin, receiver.url).json()
    delivery = WebhookDelivery.objects.get(endpoint_id=created["id"])
    _, _, other = make_api_key("bravo", ("admin",))
    base = f"/api/v1/webhooks/{created['id']}"
    assert other.get(base).status_code == 404
    assert other.get(f"{base}/deliveries").status_code == 404
    assert other.post(f"{base}/deliveries/{delivery.id}/redeliver").status_code == 404
    assert other.delete(base).status_code == 404
    assert other.get("/api/v1/webhooks").json()["results"] == []
    assert len(receiver.received) == 1  # B's redeliver sent nothing
    assert (
        other.get("/api/v1/webhooks/callback-secret").json()["secret"]
        != (admin.get("/api/v1/webhooks/callback-secret").json()["secret"])
    )


def test_deleting_an_endpoint_removes_it_and_its_log(admin, receiver):
    created = register(admin, receiver.url).json()
    assert admin.delete(f"/api/v1/webhooks/{created['id']}").status_code == 204
    assert admin.get(f"/api/v1/webhooks/{created['id']}").status_code == 404
    assert not WebhookDelivery.objects.exists()


def test_an_event_gets_one_delivery_per_subscribed_endpoint_numbered_after_its_last(
    invitation, redis_server, django_capture_on_commit_callbacks
):
    organization = invitation.assessment.organization
    everything = endpoint_of(organization, "https://a.example/h", ["invitation.started"])
    other = endpoint_of(organization, "https://b.example/h", ["invitation.graded"])
    endpoint_of(organization, "https://c.example/h", ["invitation.started"]).delete()
    disabled = endpoint_of(organization, "https://d.example/h", ["invitation.started"])
    WebhookEndpoint.objects.filter(id=disabled.id).update(is_active=False)
    Invitation.objects.filter(id=invitation.id).update(callback_url="https://ats.example/cb/1")
    invitation.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        first = event_emit(
            organization=organization,
            type="invitation.started",
            data={"n": 1},
            invitation=invitation,
        )
        second = event_emit(organization=organization, type="invitation.started", data={"n": 2})
    assert len(enqueued) == 3
    assert [d.sequence for d in WebhookDelivery.objects.filter(endpoint=everything)] == [1, 2]
    assert not WebhookDelivery.objects.filter(endpoint__in=[other, disabled]).exists()
    [callback] = WebhookDelivery.objects.filter(endpoint__isnull=True)
    assert callback.event_id == first.id and callback.callback_url == "https://ats.example/cb/1"
    assert second.payload == {"n": 2}


def test_a_candidate_starting_and_finishing_emits_started_submitted_and_graded(
    invitation, redis_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attempt_start(invitation=invitation)
        attempt_start(invitation=invitation)  # another tab: nothing new
    with django_capture_on_commit_callbacks(execute=True):
        attempt_finish(invitation=invitation)
        attempt_finish(invitation=invitation)
    events = list(WebhookEvent.objects.order_by("created_at"))
    assert [e.type for e in events] == [
        "invitation.started",
        "invitation.submitted",
        "invitation.graded",  # nothing was left to grade
    ]
    assert [e.payload["status"] for e in events] == ["started", "graded", "graded"]
    assert all(e.payload["id"] == str(invitation.id) for e in events)
    assert events[0].payload["started_at"].endswith("Z") and events[0].payload["deadline"]


def test_the_last_hidden_submission_graded_makes_the_invitation_graded(
    invitation, redis_server, django_capture_on_commit_callbacks, settings
):
    """Through submission_grade itself: a submission out of attempts is FAILED without the
    sandbox, which ends the grading like a verdict does."""
    with django_capture_on_commit_callbacks(execute=True):
        attempt_start(invitation=invitation)
    pending = Submission.objects.create(
        owner=invitation.candidate,
        exercise_version=Exercise.objects.get(slug="arith").current_version,
        code="x = 1\n",
        attempts=settings.GRADING_MAX_ATTEMPTS,
    )
    with django_capture_on_commit_callbacks(execute=True):
        attempt_finish(invitation=invitation)
    assert list(WebhookEvent.objects.values_list("type", flat=True)) == [
        "invitation.started",
        "invitation.submitted",  # a hidden submission is still queued: not graded yet
    ]
    with django_capture_on_commit_callbacks(execute=True):
        assert submission_grade(submission_id=pending.id, worker="test") == "failed"
    graded = WebhookEvent.objects.get(type="invitation.graded")
    assert graded.payload["status"] == "graded"
    with django_capture_on_commit_callbacks(execute=True):
        hooks.submission_finished(submission_id=pending.id)  # told twice: emitted once
    assert WebhookEvent.objects.filter(type="invitation.graded").count() == 1


def test_a_graded_submission_of_a_candidate_emits_submission_graded(
    invitation, redis_server, django_capture_on_commit_callbacks
):
    submission = Submission.objects.create(
        owner=invitation.candidate,
        exercise_version=Exercise.objects.get(slug="arith").current_version,
        code="x = 1\n",
        suite=Submission.Suite.PUBLIC,
        status=Submission.Status.GRADED,
        verdict="WRONG_ANSWER",
        score=50.0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        hooks.submission_finished(submission_id=submission.id)
    event = WebhookEvent.objects.get()
    assert event.type == "submission.graded"
    assert event.payload == {
        "submission_id": str(submission.id),
        "invitation_id": str(invitation.id),
        "exercise": "arith",
        "verdict": "WRONG_ANSWER",
        "score": 50.0,
        "suite": "public",
    }


def test_links_that_expired_unused_and_deadlines_passed_are_settled_with_their_events(
    invitation, redis_server, django_capture_on_commit_callbacks
):
    late, _ = invitation_create(
        assessment=invitation.assessment, candidate_name="Bo", candidate_email="bo@c.test"
    )
    with django_capture_on_commit_callbacks(execute=True):
        attempt_start(invitation=late)
    past = timezone.now() - timedelta(minutes=1)
    Invitation.objects.filter(id=invitation.id).update(expires_at=past)
    Invitation.objects.filter(id=late.id).update(deadline=past)
    with django_capture_on_commit_callbacks(execute=True):
        assert invitations_settle_due() == 2
        assert invitations_settle_due() == 0
    types = dict(WebhookEvent.objects.values_list("payload__id", "type").exclude(
        type="invitation.started"
    ).filter(type__in=["invitation.expired", "invitation.submitted"]))  # fmt: skip
    assert types == {str(invitation.id): "invitation.expired", str(late.id): "invitation.submitted"}
    assert Invitation.objects.get(id=invitation.id).status == "expired"


def test_an_event_that_cannot_be_emitted_is_logged_and_the_caller_goes_on(
    django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        hooks.invitation_event(invitation_id="not-a-uuid", event_type="invitation.started")
    assert "webhook event not emitted" in caplog.text
    assert not WebhookEvent.objects.exists()


def test_the_owner_registers_an_endpoint_on_the_page_and_sees_its_log(make_member, receiver):
    owner = make_member("acme", "owner")
    page = owner.client.get("/app/webhooks/")
    assert page.status_code == 200 and b"No webhook endpoints yet" in page.content
    assert callback_secret(owner.organization.id).encode() in page.content
    created = owner.client.post(
        "/app/webhooks/", {"url": receiver.url, "events": EVENTS, "description": "our ATS"}
    )
    assert created.status_code == 200
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.encode() in created.content  # shown this once
    assert endpoint.secret.encode() not in owner.client.get("/app/webhooks/").content
    log = owner.client.get(f"/app/webhooks/{endpoint.id}/")
    assert b"HTTP 200" in log.content and b"<code>ping</code>" in log.content
    delivery = WebhookDelivery.objects.get()
    redelivered = owner.client.post(
        f"/app/webhooks/{endpoint.id}/deliveries/{delivery.id}/redeliver"
    )
    assert redelivered.status_code == 302 and len(receiver.received) == 2
    assert WebhookDelivery.objects.get().attempts == 2


def test_the_page_names_a_refused_url_and_stores_nothing(make_member):
    owner = make_member("acme", "owner")
    with Receiver(default=503) as failing:
        page = owner.client.post("/app/webhooks/", {"url": failing.url, "events": EVENTS})
    assert page.status_code == 200 and b"HTTP 503" in page.content
    assert not WebhookEndpoint.objects.exists()


def test_a_disabled_endpoint_is_turned_back_on_by_an_owner_only(make_member):
    owner, author = make_member("acme", "owner"), make_member("acme", "author")
    endpoint = endpoint_of(owner.organization, "https://a.example/h", EVENTS)
    WebhookEndpoint.objects.filter(id=endpoint.id).update(
        is_active=False, disabled_at=timezone.now(), disabled_reason="no 2xx answer for 24 h"
    )
    assert author.client.get("/app/webhooks/").status_code == 403
    assert author.client.post(f"/app/webhooks/{endpoint.id}/enable").status_code == 403
    page = owner.client.get(f"/app/webhooks/{endpoint.id}/")
    assert b"no 2xx answer for 24 h" in page.content
    assert owner.client.post(f"/app/webhooks/{endpoint.id}/enable").status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.is_active and endpoint.disabled_at is None
    assert owner.client.post(f"/app/webhooks/{endpoint.id}/delete").status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert mail.outbox == []
