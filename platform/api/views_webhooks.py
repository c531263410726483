"""The webhooks endpoints (admin scope): register (after a test ping), list, read, delete, the
delivery log, manual redelivery, and the secret of invitations' callback URLs."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import cursor
from api.access import HasScope, organization_of
from api.models import WebhookEndpoint
from api.serializers_webhooks import (
    CallbackSecretOutput,
    DeliveryOutput,
    DeliveryPageOutput,
    WebhookCreatedOutput,
    WebhookCreateInput,
    WebhookOutput,
    WebhookPageOutput,
)
from api.webhooks.delivery import delivery_redeliver
from api.webhooks.selectors import delivery_get, delivery_list, endpoint_get, endpoint_list
from api.webhooks.services import WebhookError, endpoint_create, endpoint_delete
from api.webhooks.signing import callback_secret

TAGS = ["webhooks"]
ADMIN = [HasScope.of("admin")]
ERROR = OpenApiResponse(description='{"error": {"code", "message"}}')
ENDPOINT_EXAMPLE = {
    "id": 7,
    "url": "https://ats.example.com/hooks/tensorjudge",
    "description": "our ATS",
    "events": ["invitation.submitted", "invitation.graded"],
    "is_active": True,
    "disabled_at": None,
    "disabled_reason": "",
    "created_at": "2026-11-24T15:00:00Z",
}


class WebhookRefused(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_webhook"
    default_detail = "the webhook endpoint was refused"


def _endpoint_or_404(request: Request, webhook_id: int) -> WebhookEndpoint:
    endpoint = endpoint_get(organization=organization_of(request), webhook_id=webhook_id)
    if endpoint is None:
        raise NotFound(f"no webhook endpoint {webhook_id}")
    return endpoint


class WebhookListCreateApi(APIView):
    permission_classes = ADMIN

    @extend_schema(
        tags=TAGS,
        operation_id="webhooks_list",
        parameters=cursor.PARAMETERS,
        responses=WebhookPageOutput,
        summary="The organization's webhook endpoints, newest first",
    )
    def get(self, request: Request) -> Response:
        page = cursor.paginate(endpoint_list(organization=organization_of(request)), request)
        return Response(page.response_data(WebhookOutput(page.rows, many=True).data))

    @extend_schema(
        tags=TAGS,
        operation_id="webhooks_create",
        request=WebhookCreateInput,
        responses={201: WebhookCreatedOutput, 400: ERROR},
        summary="Register an endpoint: a signed test ping must answer 2xx "
        "(else 400 webhook_unreachable); the secret is in this response only",
        examples=[
            OpenApiExample(
                "register",
                request_only=True,
                value={
                    "url": "https://ats.example.com/hooks/tensorjudge",
                    "events": ["invitation.submitted", "invitation.graded"],
                    "description": "our ATS",
                },
            ),
            OpenApiExample(
                "registered",
                response_only=True,
                status_codes=["201"],
                value={**ENDPOINT_EXAMPLE, "secret": "whsec_9cQ2...x8"},
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = WebhookCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            endpoint = endpoint_create(
                organization=organization_of(request), actor=request.user, **data.validated_data
            )
        except WebhookError as error:
            raise WebhookRefused(str(error), code=error.code) from error
        return Response(WebhookCreatedOutput(endpoint).data, status=status.HTTP_201_CREATED)


class WebhookDetailApi(APIView):
    permission_classes = ADMIN

    @extend_schema(
        tags=TAGS,
        operation_id="webhooks_retrieve",
        responses={200: WebhookOutput, 404: ERROR},
        summary="One webhook endpoint (its secret is never shown again)",
        examples=[OpenApiExample("endpoint", response_only=True, value=ENDPOINT_EXAMPLE)],
    )
    def get(self, request: Request, webhook_id: int) -> Response:
        return Response(WebhookOutput(_endpoint_or_404(request, webhook_id)).data)

    @extend_schema(
        tags=TAGS,
        operation_id="webhooks_destroy",
        responses={204: None, 404: ERROR},
        summary="Delete an endpoint and its delivery log; pending deliveries are dropped",
    )
    def delete(self, request: Request, webhook_id: int) -> Response:
        endpoint_delete(endpoint=_endpoint_or_404(request, webhook_id), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListApi(APIView):
    permission_classes = ADMIN

    @extend_schema(
        tags=TAGS,
        parameters=cursor.PARAMETERS,
        operation_id="webhooks_deliveries_list",
        responses={200: DeliveryPageOutput, 404: ERROR},
        summary="The endpoint's delivery log, newest first: status codes, attempts, bodies",
    )
    def get(self, request: Request, webhook_id: int) -> Response:
        endpoint = _endpoint_or_404(request, webhook_id)
        page = cursor.paginate(delivery_list(endpoint=endpoint), request)
        return Response(page.response_data(DeliveryOutput(page.rows, many=True).data))


class WebhookRedeliverApi(APIView):
    permission_classes = ADMIN

    @extend_schema(
        tags=TAGS,
        operation_id="webhooks_deliveries_redeliver",
        request=None,
        responses={200: DeliveryOutput, 404: ERROR},
        summary="Send a delivery again now (whatever its status); the answer is in the result",
    )
    def post(self, request: Request, webhook_id: int, delivery_id: int) -> Response:
        endpoint = _endpoint_or_404(request, webhook_id)
        delivery = delivery_get(endpoint=endpoint, delivery_id=delivery_id)
        if delivery is None:
            raise NotFound(f"no delivery {delivery_id} of webhook endpoint {webhook_id}")
        return Response(DeliveryOutput(delivery_redeliver(delivery=delivery)).data)


class CallbackSecretApi(APIView):
    permission_classes = ADMIN

    @extend_schema(
        tags=TAGS,
        operation_id="webhooks_callback_secret",
        responses=CallbackSecretOutput,
        summary="The secret that signs deliveries to invitations' callback URLs",
    )
    def get(self, request: Request) -> Response:
        secret = callback_secret(organization_of(request).id)
        return Response(CallbackSecretOutput({"secret": secret}).data)
