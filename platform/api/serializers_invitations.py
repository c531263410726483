"""Input and output shapes of the invitations endpoints. The output is
api.invitation_status.invitation_json (webhooks send the same); the fields declared here
describe it in the OpenAPI schema, and a test holds the two together."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from rest_framework import serializers

from api.invitation_services import InvitationRequest
from api.invitation_status import ApiStatus, invitation_json
from api.times import UtcDateTimeField
from assessments.models import Invitation
from assessments.services import MAX_EXTRA_MINUTES
from assessments.services.invitations import MAX_EXTEND_MINUTES

MAX_BATCH = 100
MAX_ID = 2**63 - 1  # ids are 64-bit (BigAutoField): a larger one would overflow the query


class InvitationOutput(serializers.Serializer[Invitation]):
    id = serializers.UUIDField()
    assessment_id = serializers.IntegerField()
    candidate_name = serializers.CharField()
    candidate_email = serializers.EmailField()
    external_id = serializers.CharField(
        allow_null=True, help_text="the hiring system's own id for the candidate"
    )
    callback_url = serializers.URLField(
        allow_null=True, help_text="where this invitation's events are POSTed, signed"
    )
    status = serializers.ChoiceField(
        choices=[s.value for s in ApiStatus],
        help_text="as of now; graded = submitted and every hidden-test submission graded",
    )
    extra_minutes = serializers.IntegerField(help_text="added to the duration at the start")
    created_at = UtcDateTimeField()
    expires_at = UtcDateTimeField(help_text="the link works until then, unless started")
    started_at = UtcDateTimeField(allow_null=True)
    deadline = UtcDateTimeField(allow_null=True, help_text="fixed at the start")
    finished_at = UtcDateTimeField(allow_null=True)
    report_url = serializers.URLField(
        allow_null=True,
        help_text="a signed link to the human report page (valid 7 days from this response); "
        "null until the candidate starts",
    )

    def to_representation(self, instance: Invitation) -> dict[str, Any]:
        return invitation_json(instance, base_url=self.context.get("base_url"))


class InvitedOutput(InvitationOutput):
    invitation_url = serializers.URLField(
        help_text="the candidate's personal link: in this response only, never again"
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance.invitation)
        data["invitation_url"] = instance.invitation_url
        return data


class InvitationPageOutput(serializers.Serializer[Any]):
    results = InvitationOutput(many=True)
    next = serializers.URLField(allow_null=True, help_text="the next (older) page, or null")
    previous = serializers.URLField(allow_null=True, help_text="the previous page, or null")


class InvitedBatchOutput(serializers.Serializer[Any]):
    results = InvitedOutput(many=True)


class HttpUrlField(serializers.URLField):
    def to_internal_value(self, data: Any) -> str:
        url = str(super().to_internal_value(data))
        if urlsplit(url).scheme not in ("http", "https"):
            self.fail("invalid")
        return url


class InvitationCreateInput(serializers.Serializer[Any]):
    candidate_name = serializers.CharField(max_length=200)
    candidate_email = serializers.EmailField(max_length=254)
    external_id = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    callback_url = HttpUrlField(max_length=1000, required=False, allow_blank=True, default="")
    expires_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="when the link stops working if not started (default: in 14 days)",
    )
    extra_minutes = serializers.IntegerField(
        min_value=0, max_value=MAX_EXTRA_MINUTES, required=False, default=0
    )

    def to_request(self) -> InvitationRequest:
        return InvitationRequest(**self.validated_data)


class InvitationBatchInput(serializers.Serializer[Any]):
    invitations = InvitationCreateInput(many=True, min_length=1, max_length=MAX_BATCH)

    def to_requests(self) -> list[InvitationRequest]:
        return [InvitationRequest(**entry) for entry in self.validated_data["invitations"]]


class InvitationExtendInput(serializers.Serializer[Any]):
    minutes = serializers.IntegerField(
        min_value=1,
        max_value=MAX_EXTEND_MINUTES,
        help_text="before the start: the link's expiry moves; during the attempt: the deadline",
    )


class InvitationListQuery(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=[s.value for s in ApiStatus], required=False)
    assessment = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    external_id = serializers.CharField(max_length=200, required=False, trim_whitespace=False)
    created_after = serializers.DateTimeField(
        required=False, help_text="created at or after this time (ISO-8601)"
    )
    created_before = serializers.DateTimeField(
        required=False, help_text="created before this time (ISO-8601)"
    )
