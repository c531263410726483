"""Input and output shapes of the webhooks endpoints (admin scope)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.models import WebhookDelivery, WebhookEndpoint
from api.times import UtcDateTimeField, iso_utc
from api.webhooks import sender
from api.webhooks.events import EventType


class WebhookCreateInput(serializers.Serializer[Any]):
    url = serializers.URLField(
        max_length=1000, help_text="http(s) URL that takes the POSTs; it must answer the ping 2xx"
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.values),
        allow_empty=False,
        max_length=len(EventType.values),
        help_text="the event types it wants",
    )
    description = serializers.CharField(
        max_length=200, required=False, default="", allow_blank=True
    )

    def validate_url(self, url: str) -> str:
        problem = sender.url_problem(url)
        if problem:
            raise serializers.ValidationError(problem)
        return url

    def validate_events(self, events: list[str]) -> list[str]:
        if len(set(events)) != len(events):
            raise serializers.ValidationError("an event type is listed twice")
        return events


class WebhookOutput(serializers.ModelSerializer[WebhookEndpoint]):
    events = serializers.ListField(child=serializers.ChoiceField(choices=EventType.values))
    is_active = serializers.BooleanField(
        help_text="false once disabled (deliveries failed for 24 h); deliveries stop"
    )
    disabled_at = UtcDateTimeField(allow_null=True)
    created_at = UtcDateTimeField()

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "disabled_at",
            "disabled_reason",
            "created_at",
        ]


class WebhookCreatedOutput(WebhookOutput):
    secret = serializers.CharField(
        help_text="signs every delivery (HMAC-SHA256): shown in this response only"
    )

    class Meta(WebhookOutput.Meta):
        fields = [*WebhookOutput.Meta.fields, "secret"]


class WebhookPageOutput(serializers.Serializer[Any]):
    results = WebhookOutput(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class DeliveryEventOutput(serializers.Serializer[Any]):
    """The body that was POSTed."""

    id = serializers.UUIDField()
    type = serializers.CharField()
    created_at = serializers.CharField()
    data = serializers.DictField()


class DeliveryOutput(serializers.ModelSerializer[WebhookDelivery]):
    event = serializers.SerializerMethodField()
    status = serializers.ChoiceField(
        choices=WebhookDelivery.Status.values,
        help_text="pending (waiting for its turn or its next attempt), succeeded, failed "
        "(given up)",
    )
    attempts = serializers.IntegerField()
    last_status_code = serializers.IntegerField(
        allow_null=True, help_text="the HTTP status of the last attempt (null: no answer)"
    )
    last_error = serializers.CharField()
    last_response_excerpt = serializers.CharField(help_text="the first 1 KB of the last answer")
    next_attempt_at = UtcDateTimeField(allow_null=True)
    last_attempt_at = UtcDateTimeField(allow_null=True)
    delivered_at = UtcDateTimeField(allow_null=True)
    created_at = UtcDateTimeField()

    class Meta:
        model = WebhookDelivery
        fields = [
            "id",
            "sequence",
            "event",
            "status",
            "attempts",
            "last_status_code",
            "last_error",
            "last_response_excerpt",
            "next_attempt_at",
            "last_attempt_at",
            "delivered_at",
            "created_at",
        ]

    @extend_schema_field(DeliveryEventOutput)
    def get_event(self, delivery: WebhookDelivery) -> dict[str, Any]:
        event = delivery.event
        return {
            "id": str(event.id),
            "type": event.type,
            "created_at": iso_utc(event.created_at),
            "data": event.payload,
        }


class DeliveryPageOutput(serializers.Serializer[Any]):
    results = DeliveryOutput(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class CallbackSecretOutput(serializers.Serializer[Any]):
    secret = serializers.CharField(
        help_text="signs the deliveries to invitations' callback URLs (like an endpoint's secret)"
    )
