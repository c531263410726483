"""What the API keeps: idempotency records of POSTs, and webhooks (endpoints, events, deliveries).

Webhooks: an event (`invitation.started`, ...) is stored once per organization; one delivery
per subscribed endpoint carries it, numbered in the endpoint's order (`sequence`): an
endpoint's deliveries go out one at a time in that order, retried with backoff, and the endpoint
is disabled when its oldest delivery has failed for WEBHOOK_GIVE_UP_AFTER."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class IdempotencyRecord(models.Model):
    """The first response to a POST with an `Idempotency-Key`: a retry with the same key (and
    the same request) gets it again instead of acting twice."""

    class State(models.TextChoices):
        PENDING = "pending"  # the first request is still running
        DONE = "done"

    api_key = models.ForeignKey(
        "accounts.ApiKey", on_delete=models.CASCADE, related_name="idempotency_records"
    )
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)  # SHA-256 of method, path and body
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    response_status = models.PositiveIntegerField(null=True, blank=True)
    response_body = models.BinaryField(null=True, blank=True)
    response_content_type = models.CharField(max_length=100, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="one_record_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}] ({self.state})"


class WebhookEndpoint(models.Model):
    """A URL of an organization's hiring system that wants some events."""

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(max_length=1000)
    description = models.CharField(max_length=200, blank=True, default="")
    events = models.JSONField(default=list)  # event types it wants
    secret = models.CharField(max_length=100)  # signs deliveries (HMAC-SHA256); shown to admins
    is_active = models.BooleanField(default=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization", "created_at"]

    def __str__(self) -> str:
        return self.url


class WebhookEvent(models.Model):
    """Something that happened, once, whatever the number of endpoints told."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="webhook_events"
    )
    type = models.CharField(max_length=50)  # "invitation.submitted", ...
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class WebhookDelivery(models.Model):
    """One event to one endpoint (or to one invitation's callback URL, endpoint null)."""

    class Status(models.TextChoices):
        PENDING = "pending"  # waiting for its turn or its next attempt
        SUCCEEDED = "succeeded"  # a 2xx was received
        FAILED = "failed"  # given up (the endpoint was disabled)

    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    callback_url = models.URLField(max_length=1000, blank=True, default="")
    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    sequence = models.PositiveBigIntegerField()  # the order within its endpoint
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True, default="")
    last_response_excerpt = models.TextField(blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["endpoint", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event"], name="one_delivery_per_endpoint")
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint or self.callback_url} ({self.status})"
