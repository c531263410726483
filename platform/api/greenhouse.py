"""The Greenhouse Assessment Partner API: what a Greenhouse-style ATS calls to send
TensorJudge assessments to its candidates, mapped onto assessments and invitations.

- `GET  list_tests`  -> `[{"partner_test_id", "partner_test_name"}]`: the organization's
  assessments that have steps (a test = an assessment; its id as a string).
- `POST send_test`   `{"partner_test_id", "candidate": {"first_name", "last_name", "email",
  "greenhouse_profile_url"?}, "url"?}` -> `{"partner_interview_id"}`: an invitation made by the
  REST API's service (the candidate is emailed their link), with external id = the Greenhouse
  profile URL (else the application id) and callback URL = `url`. Sent again for the same
  application while the first is unfinished, it answers the same id (a retry never invites
  twice).
- `GET  test_status?partner_interview_id=` -> `{"partner_status", "partner_profile_url",
  "partner_score", "metadata"}`. Greenhouse polls until "complete" (= graded here).
- `POST response_error`: Greenhouse reports a response it could not read; logged, 200.

Authentication: HTTP Basic with an API key of the organization as the username and an empty
password (Greenhouse's way), or `Authorization: Bearer <key>` like the rest of the API. Reads
need the scope read, send_test invite. Errors are the API's JSON errors (4xx,
`{"error": {"code", "message"}}`) with the message also at the top level (`"message"`), which
is what an ATS shows its user. The views are thin: what they do is in api.greenhouse_services."""

from __future__ import annotations

import base64
import binascii
import logging
from typing import Any
from uuid import UUID

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import authentication, exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_keys import api_key_authenticate
from api.access import HasScope, organization_of
from api.authentication import ApiKeyAuthentication
from api.greenhouse_services import (
    PARTNER_STATUS,
    greenhouse_test_send,
    greenhouse_test_status,
    partner_test_get,
    partner_tests,
)
from api.selectors import invitation_get
from api.serializers_invitations import HttpUrlField
from assessments.models import Assessment

logger = logging.getLogger(__name__)


# -- Authentication ------------------------------------------------------------------------------


class GreenhouseBasicAuthentication(authentication.BaseAuthentication):
    """`Authorization: Basic base64("<API key>:")`: the key is the username, the password is
    ignored (Greenhouse sends it empty)."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            username = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            raise exceptions.AuthenticationFailed("malformed Basic credentials") from None
        key = api_key_authenticate(username.partition(":")[0].strip())
        if key is None:
            raise exceptions.AuthenticationFailed("invalid or revoked API key")
        return key.user, key

    def authenticate_header(self, request: Request) -> str:
        return 'Basic realm="greenhouse"'


class GreenhouseBasicScheme(OpenApiAuthenticationExtension):
    target_class = "api.greenhouse.GreenhouseBasicAuthentication"
    name = "greenhouseBasic"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "basic",
            "description": "an API key of the organization as the username, an empty password",
        }


# -- Views ---------------------------------------------------------------------------------------


class GreenhouseApi(APIView):
    """The partner endpoints' common ground: Basic (or Bearer) key authentication, and errors
    that carry their message at the top level too."""

    authentication_classes = [GreenhouseBasicAuthentication, ApiKeyAuthentication]

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        error = response.data.get("error") if isinstance(response.data, dict) else None
        if isinstance(error, dict):
            response.data["message"] = error.get("message", "")
        return response


class PartnerTestOutput(serializers.Serializer[Assessment]):
    partner_test_id = serializers.CharField(source="id", help_text="the assessment's id")
    partner_test_name = serializers.CharField(source="title")

    def to_representation(self, instance: Assessment) -> dict[str, Any]:
        return {"partner_test_id": str(instance.id), "partner_test_name": instance.title}


class CandidateInput(serializers.Serializer[Any]):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=99, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254)
    greenhouse_profile_url = HttpUrlField(
        max_length=200, required=False, allow_blank=True, allow_null=True
    )
    # resume_url, phone_number and Greenhouse's ids are accepted and not kept.


class ApplicationInput(serializers.Serializer[Any]):
    id = serializers.IntegerField(required=False, allow_null=True)


class SendTestInput(serializers.Serializer[Any]):
    partner_test_id = serializers.CharField(max_length=20)
    candidate = CandidateInput()
    application = ApplicationInput(required=False, allow_null=True)
    url = HttpUrlField(
        max_length=1000,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="where to be told of this test's events (a signed POST per event)",
    )


class SendTestOutput(serializers.Serializer[Any]):
    partner_interview_id = serializers.CharField(help_text="the invitation's id")


class PartnerStatusOutput(serializers.Serializer[Any]):
    partner_status = serializers.ChoiceField(choices=sorted(set(PARTNER_STATUS.values())))
    partner_profile_url = serializers.URLField(
        required=False, help_text="a signed link to the report page (valid 7 days)"
    )
    partner_score = serializers.FloatField(required=False, help_text="the total, 0-100")
    metadata = serializers.DictField(child=serializers.JSONField())


class ResponseErrorInput(serializers.Serializer[Any]):
    api_call = serializers.CharField(max_length=100)
    errors = serializers.ListField(child=serializers.CharField(max_length=2000), max_length=100)
    partner_test_id = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    partner_interview_id = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class ListTestsApi(GreenhouseApi):
    """The tests Greenhouse may send: the organization's assessments that have steps, the
    newest first (a bare JSON list, as Greenhouse reads it)."""

    permission_classes = [HasScope.of("read")]

    @extend_schema(
        tags=["greenhouse"],
        summary="Greenhouse: the tests (assessments) that can be sent",
        responses=PartnerTestOutput(many=True),
        examples=[
            OpenApiExample(
                "A test",
                # One item: drf-spectacular wraps a list response's example in the list.
                value={"partner_test_id": "12", "partner_test_name": "ML engineer screen"},
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        tests = partner_tests(organization=organization_of(request))
        return Response(PartnerTestOutput(tests, many=True).data)


class SendTestApi(GreenhouseApi):
    """Invite Greenhouse's candidate to the test's assessment (the candidate is emailed the
    link); the answer's `partner_interview_id` is the invitation's id. Sent again for the same
    application while the invitation is unfinished, it answers the same id."""

    permission_classes = [HasScope.of("invite")]

    @extend_schema(
        tags=["greenhouse"],
        summary="Greenhouse: send a test to a candidate (an invitation, emailed)",
        request=SendTestInput,
        responses=SendTestOutput,
        examples=[
            OpenApiExample(
                "Send test 12",
                value={
                    "partner_test_id": "12",
                    "candidate": {
                        "first_name": "Kate",
                        "last_name": "Austen",
                        "email": "kate@example.com",
                        "greenhouse_profile_url": "https://app.greenhouse.io/people/5345178?application_id=5699620",
                    },
                    "url": "https://ats.example.com/hooks/tensorjudge",
                },
                request_only=True,
            ),
            OpenApiExample(
                "Sent",
                value={"partner_interview_id": "0b7c5f0e-4a51-4f7e-9a39-2a4c4f1f3b10"},
                response_only=True,
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = SendTestInput(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        organization = organization_of(request)
        assessment = partner_test_get(
            organization=organization, partner_test_id=given["partner_test_id"]
        )
        if assessment is None:
            raise exceptions.NotFound(f"no test {given['partner_test_id']!r} (see list_tests)")
        invitation = greenhouse_test_send(
            assessment=assessment,
            actor=request.user,
            candidate=dict(given["candidate"]),
            application=given.get("application"),
            callback_url=given.get("url") or "",
            base_url=request.build_absolute_uri("/"),
        )
        return Response({"partner_interview_id": str(invitation.id)})


class PartnerStatusApi(GreenhouseApi):
    """Where a sent test stands. Greenhouse polls until `partner_status` is "complete" (the
    invitation is graded: finished, every hidden-test submission graded); the other values are
    not_started, in_progress, grading, expired and revoked."""

    permission_classes = [HasScope.of("read")]

    @extend_schema(
        tags=["greenhouse"],
        summary="Greenhouse: where a sent test stands (complete = graded)",
        parameters=[OpenApiParameter("partner_interview_id", str, required=True)],
        responses=PartnerStatusOutput,
        examples=[
            OpenApiExample(
                "Complete",
                value={
                    "partner_status": "complete",
                    "partner_profile_url": "https://tensorjudge.example/r/0b7c5f0e-4a51-4f7e-9a39-2a4c4f1f3b10?t=...",
                    "partner_score": 81.5,
                    "metadata": {
                        "Assessment": "ML engineer screen",
                        "Status": "graded",
                        "Started At": "2026-11-24T15:00:00Z",
                        "Finished At": "2026-11-24T16:20:00Z",
                        "Step 1: kmeans": 92.0,
                    },
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("partner_interview_id", "").strip()
        if not raw:
            raise exceptions.ValidationError({"partner_interview_id": ["This field is required."]})
        try:
            invitation_id = UUID(raw)
        except ValueError:
            raise exceptions.NotFound(f"no test instance {raw!r}") from None
        invitation = invitation_get(
            organization=organization_of(request), invitation_id=invitation_id
        )
        if invitation is None:
            raise exceptions.NotFound(f"no test instance {raw!r}")
        base_url = request.build_absolute_uri("/")
        return Response(greenhouse_test_status(invitation, base_url=base_url))


class ResponseErrorApi(GreenhouseApi):
    """Greenhouse tells us it could not read one of our responses: logged as a warning."""

    permission_classes = [HasScope.of("read")]

    @extend_schema(
        tags=["greenhouse"],
        summary="Greenhouse: a response of ours it could not read (logged)",
        request=ResponseErrorInput,
        responses={200: OpenApiTypes.OBJECT},
    )
    def post(self, request: Request) -> Response:
        data = ResponseErrorInput(data=request.data)
        data.is_valid(raise_exception=True)
        logger.warning(
            "Greenhouse could not read our %s response (organization %s): %s",
            data.validated_data["api_call"],
            organization_of(request).slug,
            "; ".join(data.validated_data["errors"]),
        )
        return Response({})
