"""Sending deliveries: one at a time per endpoint, in the endpoint's order, retried with
exponential backoff (30 s, 1 min, 2 min, ... at most 1 h apart) until a 2xx; after
settings.WEBHOOK_GIVE_UP_AFTER_S of failing, the endpoint is disabled, its pending deliveries
FAILED and the organization's owners told by email.

A delivery is claimed by a guarded UPDATE (its `next_attempt_at` moves CLAIM_S ahead while it
is sent), so the task and the sweeper never send it twice at once; a sender that dies leaves it
to be retried when the claim runs out. Receivers get each event at least once: they dedupe on
the event id. An invitation's callback URL is a queue of its own (per organization and URL),
signed with the organization's callback secret."""

from __future__ import annotations

import enum
import logging
import time
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Min, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Membership
from api.models import WebhookDelivery, WebhookEndpoint
from api.webhooks import sender
from api.webhooks.payloads import envelope
from api.webhooks.signing import callback_secret, signature

log = logging.getLogger(__name__)

FIRST_RETRY_S = 30.0
MAX_RETRY_S = 3600.0
CLAIM_S = 60.0  # above the sender's worst case (connect + read timeouts)
PENDING = WebhookDelivery.Status.PENDING
SUCCEEDED = WebhookDelivery.Status.SUCCEEDED
FAILED = WebhookDelivery.Status.FAILED


class Outcome(enum.StrEnum):
    DELIVERED = "delivered"  # a 2xx
    RETRY = "retry"  # failed; next attempt scheduled
    GAVE_UP = "gave_up"  # failed for too long: the endpoint is disabled
    WAITING = "waiting"  # not its turn: an earlier delivery first, or not due yet
    SKIPPED = "skipped"  # nothing to do: finished, gone, disabled, or taken by another sender


def backoff_s(attempts: int) -> float:
    """The wait after the `attempts`-th failed attempt: 30 s, 1 min, 2 min, ... at most 1 h."""
    return min(FIRST_RETRY_S * 2 ** max(attempts - 1, 0), MAX_RETRY_S)


def signed_headers(*, secret: str, event_id: str, event_type: str, body: bytes) -> dict[str, str]:
    """The headers of a delivery, signed now."""
    timestamp = int(time.time())  # the real clock even when tests drive `now`
    return {
        "TensorJudge-Event-Id": event_id,
        "TensorJudge-Event-Type": event_type,
        "TensorJudge-Timestamp": str(timestamp),
        "TensorJudge-Signature": signature(secret, timestamp, body),
    }


def queue_of(delivery: WebhookDelivery) -> QuerySet[WebhookDelivery]:
    """The deliveries sent in one order with `delivery`: its endpoint's, or those of its
    callback URL in its organization."""
    if delivery.endpoint_id is not None:
        return WebhookDelivery.objects.filter(endpoint_id=delivery.endpoint_id)
    return WebhookDelivery.objects.filter(
        endpoint__isnull=True,
        callback_url=delivery.callback_url,
        event__organization_id=delivery.event.organization_id,
    )


def delivery_enqueue(*, delivery_id: int) -> None:
    """Hand the delivery to Celery; a broker that is down only delays it (the sweeper)."""
    from api.webhooks.tasks import deliver_webhook  # tasks import this module

    try:
        deliver_webhook.apply_async(args=[delivery_id], retry=False)
    except Exception as exc:  # kombu raises many kinds: the sweeper will enqueue it
        log.warning("could not enqueue webhook delivery %s: %s", delivery_id, exc)


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> Outcome:
    """Send the delivery if it is its turn and it is due (`now`, default the clock, decides
    what is due: tests move it instead of waiting); record the answer."""
    now = now or timezone.now()
    delivery = (
        WebhookDelivery.objects.select_related("endpoint", "event").filter(id=delivery_id).first()
    )
    if delivery is None or delivery.status != PENDING:
        return Outcome.SKIPPED
    if delivery.endpoint is not None and not delivery.endpoint.is_active:
        return Outcome.SKIPPED
    if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
        return Outcome.WAITING
    if queue_of(delivery).filter(sequence__lt=delivery.sequence, status=PENDING).exists():
        return Outcome.WAITING  # sent when the earlier one succeeds
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    claimed = WebhookDelivery.objects.filter(due, id=delivery.id, status=PENDING).update(
        next_attempt_at=now + timedelta(seconds=CLAIM_S),
        attempts=F("attempts") + 1,
        last_attempt_at=now,
    )
    if claimed != 1:
        return Outcome.SKIPPED
    delivery.refresh_from_db(fields=["attempts"])
    answer = _send(delivery)
    return _record(delivery, answer, now)


def _send(delivery: WebhookDelivery) -> sender.Answer:
    event = delivery.event
    body = envelope(
        event_id=str(event.id),
        event_type=event.type,
        created_at=event.created_at,
        data=event.payload,
    )
    if delivery.endpoint is not None:
        url, secret = delivery.endpoint.url, delivery.endpoint.secret
    else:
        url, secret = delivery.callback_url, callback_secret(event.organization_id)
    headers = signed_headers(
        secret=secret, event_id=str(event.id), event_type=event.type, body=body
    )
    headers["TensorJudge-Delivery-Id"] = str(delivery.id)
    return sender.post(url, body, headers)


def _answer_fields(answer: sender.Answer) -> dict[str, object]:
    return {
        "last_status_code": answer.status_code,
        "last_error": "" if answer.ok else answer.describe()[:500],
        "last_response_excerpt": answer.excerpt,
    }


def _record(delivery: WebhookDelivery, answer: sender.Answer, now: datetime) -> Outcome:
    mine = WebhookDelivery.objects.filter(id=delivery.id, status=PENDING)
    if answer.ok:
        with transaction.atomic():
            mine.update(
                status=SUCCEEDED, delivered_at=now, next_attempt_at=None, **_answer_fields(answer)
            )
            transaction.on_commit(partial(_enqueue_next, delivery))
        return Outcome.DELIVERED
    if now - _failing_since(delivery) >= timedelta(seconds=settings.WEBHOOK_GIVE_UP_AFTER_S):
        _give_up(delivery, answer, now)
        return Outcome.GAVE_UP
    mine.update(
        next_attempt_at=now + timedelta(seconds=backoff_s(delivery.attempts)),
        **_answer_fields(answer),
    )
    return Outcome.RETRY


def _failing_since(delivery: WebhookDelivery) -> datetime:
    """When the delivery became its queue's next one: created, or the previous one delivered."""
    previous = (
        queue_of(delivery)
        .filter(sequence__lt=delivery.sequence, status=SUCCEEDED, delivered_at__isnull=False)
        .order_by("-sequence")
        .values_list("delivered_at", flat=True)
        .first()
    )
    return max(delivery.created_at, previous) if previous else delivery.created_at


def _enqueue_next(delivery: WebhookDelivery) -> None:
    following = queue_of(delivery).filter(status=PENDING).order_by("sequence").first()
    if following is not None:
        delivery_enqueue(delivery_id=following.id)


def _give_up(delivery: WebhookDelivery, answer: sender.Answer, now: datetime) -> None:
    hours = settings.WEBHOOK_GIVE_UP_AFTER_S / 3600
    reason = f"no 2xx answer for {hours:g} h; the last attempt got {answer.describe()}"[:500]
    with transaction.atomic():
        WebhookDelivery.objects.filter(id=delivery.id).update(**_answer_fields(answer))
        queue_of(delivery).filter(status=PENDING).update(status=FAILED, next_attempt_at=None)
        endpoint = delivery.endpoint
        if endpoint is None:
            log.warning("callback %s failing: pending deliveries FAILED", delivery.callback_url)
            return
        disabled = WebhookEndpoint.objects.filter(id=endpoint.id, is_active=True).update(
            is_active=False, disabled_at=now, disabled_reason=reason
        )
        if disabled:
            log.warning("webhook endpoint %s (%s) disabled: %s", endpoint.id, endpoint.url, reason)
            transaction.on_commit(partial(_tell_owners, endpoint.id))


def _tell_owners(endpoint_id: int) -> None:
    endpoint = WebhookEndpoint.objects.select_related("organization").get(id=endpoint_id)
    owners = Membership.objects.filter(
        organization=endpoint.organization, role=Membership.Role.OWNER, user__is_active=True
    ).values_list("user__email", flat=True)
    recipients = [email for email in owners if email]
    if not recipients:
        return
    context = {"endpoint": endpoint, "organization": endpoint.organization}
    subject = render_to_string("interviewer/email/webhook_disabled_subject.txt", context)
    try:
        send_mail(
            subject=" ".join(subject.split()),
            message=render_to_string("interviewer/email/webhook_disabled_body.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    except OSError:  # smtplib's errors are OSErrors: the endpoint stays disabled regardless
        log.exception("could not email the owners about webhook endpoint %s", endpoint_id)


def deliveries_due(*, now: datetime | None = None) -> list[int]:
    """The deliveries to send now: the first pending one of each queue, if due."""
    now = now or timezone.now()
    pending = WebhookDelivery.objects.filter(status=PENDING)
    heads = Q(pk__in=[])
    for row in (
        pending.filter(endpoint__is_active=True)
        .values("endpoint_id")
        .annotate(head=Min("sequence"))
    ):
        heads |= Q(endpoint_id=row["endpoint_id"], sequence=row["head"])
    for row in (
        pending.filter(endpoint__isnull=True)
        .values("event__organization_id", "callback_url")
        .annotate(head=Min("sequence"))
    ):
        heads |= Q(
            endpoint__isnull=True,
            event__organization_id=row["event__organization_id"],
            callback_url=row["callback_url"],
            sequence=row["head"],
        )
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return list(pending.filter(heads).filter(due).values_list("id", flat=True))


def delivery_redeliver(
    *, delivery: WebhookDelivery, now: datetime | None = None
) -> WebhookDelivery:
    """Send the delivery again now, whatever its status, turn or schedule (an admin asked);
    a 2xx makes a pending or failed one SUCCEEDED (and lets its queue go on). Returns it
    refreshed."""
    now = now or timezone.now()
    WebhookDelivery.objects.filter(id=delivery.id).update(
        attempts=F("attempts") + 1, last_attempt_at=now
    )
    answer = _send(delivery)
    with transaction.atomic():
        fields = _answer_fields(answer)
        WebhookDelivery.objects.filter(id=delivery.id).update(**fields)
        if answer.ok:
            WebhookDelivery.objects.filter(id=delivery.id).exclude(status=SUCCEEDED).update(
                status=SUCCEEDED, delivered_at=now, next_attempt_at=None
            )
            transaction.on_commit(partial(_enqueue_next, delivery))
    delivery.refresh_from_db()
    return delivery
