"""Reads of webhooks, scoped to an organization (another organization's object is None)."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import Organization
from api.models import WebhookDelivery, WebhookEndpoint


def endpoint_list(*, organization: Organization) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organization=organization).order_by("-created_at", "-id")


def endpoint_get(*, organization: Organization, webhook_id: int) -> WebhookEndpoint | None:
    return endpoint_list(organization=organization).filter(id=webhook_id).first()


def delivery_list(*, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's delivery log, newest first."""
    return (
        WebhookDelivery.objects.filter(endpoint=endpoint)
        .select_related("event")
        .order_by("-sequence", "-id")
    )


def delivery_get(*, endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery | None:
    return delivery_list(endpoint=endpoint).filter(id=delivery_id).first()
