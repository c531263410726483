"""Writes of webhooks: register an endpoint (after a test ping answered 2xx), delete or
re-enable one, and emit an event (stored once, one delivery per subscribed endpoint and one to
the invitation's callback URL, sent after the commit)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import Organization
from api.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from api.webhooks import sender
from api.webhooks.delivery import delivery_enqueue, signed_headers
from api.webhooks.events import PING, EventType
from api.webhooks.payloads import envelope
from api.webhooks.signing import secret_new
from assessments.models import Invitation

MAX_ENDPOINTS = 20  # per organization


class WebhookError(ValueError):
    """The endpoint cannot be registered or changed; `code` is the API's error code."""

    def __init__(self, message: str, *, code: str = "invalid_webhook") -> None:
        super().__init__(message)
        self.code = code


def _check_events(events: Sequence[str]) -> list[str]:
    unknown = sorted(set(events) - set(EventType.values))
    if unknown or not events:
        raise WebhookError(f"events must be some of {', '.join(EventType.values)}")
    return [event for event in EventType.values if event in events]  # in a stable order


def endpoint_create(
    *,
    organization: Organization,
    actor: AbstractBaseUser | None,
    url: str,
    events: Sequence[str],
    description: str = "",
) -> WebhookEndpoint:
    """Register `url` for `events`: first a signed "ping" event is posted to it, and nothing is
    stored unless it answers 2xx (WebhookError "webhook_unreachable" with what it answered).
    The endpoint's `secret` signs its deliveries: show it to the caller this once. The ping
    is kept as the endpoint's first delivery. Audited as "webhook.create"."""
    events = _check_events(events)
    problem = sender.url_problem(url)
    if problem:
        raise WebhookError(f"{url}: {problem}")
    if WebhookEndpoint.objects.filter(organization=organization).count() >= MAX_ENDPOINTS:
        raise WebhookError(f"an organization has at most {MAX_ENDPOINTS} webhook endpoints")
    secret, event_id, sent_at = secret_new(), uuid.uuid4(), timezone.now()
    data = {"url": url, "events": events, "description": description}
    body = envelope(event_id=str(event_id), event_type=PING, created_at=sent_at, data=data)
    answer = sender.post(
        url, body, signed_headers(secret=secret, event_id=str(event_id), event_type=PING, body=body)
    )
    if not answer.ok:
        raise WebhookError(
            f"the test ping to {url} got {answer.describe()}: an endpoint must answer 2xx",
            code="webhook_unreachable",
        )
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            organization=organization,
            url=url,
            events=events,
            description=description,
            secret=secret,
            created_by=actor,
        )
        event = WebhookEvent.objects.create(
            id=event_id, organization=organization, type=PING, payload=data
        )
        WebhookEvent.objects.filter(id=event.id).update(created_at=sent_at)
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event=event,
            sequence=1,
            status=WebhookDelivery.Status.SUCCEEDED,
            attempts=1,
            last_attempt_at=sent_at,
            delivered_at=sent_at,
            last_status_code=answer.status_code,
            last_response_excerpt=answer.excerpt,
        )
        audit_record(
            organization=organization,
            actor=actor,
            action="webhook.create",
            target=endpoint,
            detail={"url": url, "events": events},
        )
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint, actor: AbstractBaseUser | None) -> None:
    """Delete the endpoint and its delivery log (pending deliveries are never sent).
    Audited as "webhook.delete"."""
    audit_record(
        organization=endpoint.organization,
        actor=actor,
        action="webhook.delete",
        target=endpoint,
        detail={"url": endpoint.url},
    )
    endpoint.delete()


@transaction.atomic
def endpoint_enable(
    *, endpoint: WebhookEndpoint, actor: AbstractBaseUser | None
) -> WebhookEndpoint:
    """Turn a disabled endpoint back on: events from now on reach it (those given up while it
    was off can be redelivered one by one). Audited as "webhook.enable"."""
    updated = WebhookEndpoint.objects.filter(id=endpoint.id, is_active=False).update(
        is_active=True, disabled_at=None, disabled_reason=""
    )
    if not updated:
        raise WebhookError("this endpoint is not disabled", code="webhook_active")
    audit_record(
        organization=endpoint.organization, actor=actor, action="webhook.enable", target=endpoint
    )
    endpoint.refresh_from_db()
    return endpoint


def _next_sequence(queue: Any) -> int:
    return int(queue.aggregate(last=Max("sequence"))["last"] or 0) + 1


@transaction.atomic
def event_emit(
    *,
    organization: Organization,
    type: str,  # noqa: A002 (the name of the contract: event_emit(type=...))
    data: dict[str, Any],
    invitation: Invitation | None = None,
) -> WebhookEvent:
    """Store the event and a delivery for each active endpoint subscribed to `type` (numbered
    after the endpoint's last) and one for the invitation's callback URL if it has one; each
    is enqueued once committed."""
    # The organization's row is the lock of its sequences: two events at once are numbered one
    # after the other (on SQLite the write transaction itself serializes them).
    list(Organization.objects.select_for_update().filter(id=organization.id).values_list("id"))
    event = WebhookEvent.objects.create(organization=organization, type=type, payload=data)
    deliveries = []
    endpoints = WebhookEndpoint.objects.filter(organization=organization, is_active=True)
    for endpoint in endpoints.order_by("id"):
        if type in endpoint.events:
            sequence = _next_sequence(WebhookDelivery.objects.filter(endpoint=endpoint))
            deliveries.append(WebhookDelivery(endpoint=endpoint, event=event, sequence=sequence))
    if invitation is not None and invitation.callback_url:
        queue = WebhookDelivery.objects.filter(
            endpoint__isnull=True,
            callback_url=invitation.callback_url,
            event__organization=organization,
        )
        deliveries.append(
            WebhookDelivery(
                callback_url=invitation.callback_url, event=event, sequence=_next_sequence(queue)
            )
        )
    for delivery in deliveries:
        delivery.save()
        transaction.on_commit(partial(delivery_enqueue, delivery_id=delivery.id))
    return event
