"""Invitations through the API: invite one candidate or a batch (scope invite), list with
filters and read (scope read), revoke and extend (scope invite)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import cursor
from api.access import HasScope, organization_of
from api.invitation_services import (
    api_invitation_extend,
    api_invitation_revoke,
    api_invitations_create,
)
from api.invitation_status import ApiStatus
from api.selectors import assessment_get, invitation_get, invitation_list
from api.serializers_invitations import (
    InvitationBatchInput,
    InvitationCreateInput,
    InvitationExtendInput,
    InvitationListQuery,
    InvitationOutput,
    InvitationPageOutput,
    InvitedBatchOutput,
    InvitedOutput,
)
from assessments.models import Assessment, Invitation

INVITATION_EXAMPLE = {
    "id": "7d0c7a5e-4a8f-4f7e-9c1e-2f0d6a1b9c3e",
    "assessment_id": 12,
    "candidate_name": "Ada Lovelace",
    "candidate_email": "ada@example.com",
    "external_id": "gh-application-83121",
    "callback_url": "https://ats.example.com/hooks/tensorjudge",
    "status": "invited",
    "extra_minutes": 0,
    "created_at": "2026-11-24T15:00:00Z",
    "expires_at": "2026-12-08T15:00:00Z",
    "started_at": None,
    "deadline": None,
    "finished_at": None,
    "report_url": None,
}
INVITED_EXAMPLE = {
    **INVITATION_EXAMPLE,
    "invitation_url": "https://tensorjudge.example/a/0F3k...token",
}
CREATE_EXAMPLE = {
    "candidate_name": "Ada Lovelace",
    "candidate_email": "ada@example.com",
    "external_id": "gh-application-83121",
    "callback_url": "https://ats.example.com/hooks/tensorjudge",
}


def base_url(request: Request) -> str:
    """This site's address as the client reached it (links in responses start with it)."""
    return str(request.build_absolute_uri("/"))


def _assessment_or_404(request: Request, assessment_id: int) -> Assessment:
    assessment = assessment_get(organization=organization_of(request), assessment_id=assessment_id)
    if assessment is None:
        raise NotFound(f"no assessment {assessment_id}")
    return assessment


def invitation_or_404(request: Request, invitation_id: UUID) -> Invitation:
    invitation = invitation_get(organization=organization_of(request), invitation_id=invitation_id)
    if invitation is None:
        raise NotFound(f"no invitation {invitation_id}")
    return invitation


def link_context(request: Request) -> dict[str, Any]:
    return {"base_url": base_url(request)}


class InvitationCreateApi(APIView):
    permission_classes = [HasScope.of("invite")]

    @extend_schema(
        tags=["invitations"],
        operation_id="invitations_create",
        summary="Invite a candidate: the candidate is emailed their link",
        description="The response carries `invitation_url`, the candidate's personal link; it "
        "is never shown again. 409 already_invited when the email holds an unfinished "
        "invitation to this assessment. Send an `Idempotency-Key` to retry safely.",
        request=InvitationCreateInput,
        responses={201: InvitedOutput},
        examples=[
            OpenApiExample("Invite", value=CREATE_EXAMPLE, request_only=True),
            OpenApiExample("Invited", value=INVITED_EXAMPLE, response_only=True),
        ],
    )
    def post(self, request: Request, assessment_id: int) -> Response:
        assessment = _assessment_or_404(request, assessment_id)
        data = InvitationCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        (invited,) = api_invitations_create(
            assessment=assessment,
            actor=request.user,
            requests=[data.to_request()],
            base_url=base_url(request),
        )
        output = InvitedOutput(invited, context=link_context(request))
        return Response(output.data, status=status.HTTP_201_CREATED)


class InvitationBatchCreateApi(APIView):
    permission_classes = [HasScope.of("invite")]

    @extend_schema(
        tags=["invitations"],
        operation_id="invitations_batch_create",
        summary="Invite up to 100 candidates at once: all or none",
        description="One bad entry refuses the whole batch (400, or 409 already_invited), "
        "naming its index (`invitations.3.candidate_email`); nothing is created then. "
        "Entries share one expiry: give the same `expires_at` in each, or none.",
        request=InvitationBatchInput,
        responses={201: InvitedBatchOutput},
        examples=[
            OpenApiExample(
                "Invite two",
                value={
                    "invitations": [
                        CREATE_EXAMPLE,
                        {"candidate_name": "Alan Turing", "candidate_email": "alan@example.com"},
                    ]
                },
                request_only=True,
            ),
            OpenApiExample("Invited", value={"results": [INVITED_EXAMPLE]}, response_only=True),
        ],
    )
    def post(self, request: Request, assessment_id: int) -> Response:
        assessment = _assessment_or_404(request, assessment_id)
        data = InvitationBatchInput(data=request.data)
        data.is_valid(raise_exception=True)
        invited = api_invitations_create(
            assessment=assessment,
            actor=request.user,
            requests=data.to_requests(),
            base_url=base_url(request),
            batch=True,
        )
        output = InvitedOutput(invited, many=True, context=link_context(request))
        return Response({"results": output.data}, status=status.HTTP_201_CREATED)


class InvitationListApi(APIView):
    permission_classes = [HasScope.of("read")]

    @extend_schema(
        tags=["invitations"],
        operation_id="invitations_list",
        summary="List the organization's invitations, newest first, with filters",
        parameters=[InvitationListQuery, *cursor.PARAMETERS],
        responses=InvitationPageOutput,
        examples=[
            OpenApiExample(
                "A page",
                value={"results": [INVITATION_EXAMPLE], "next": None, "previous": None},
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        query = InvitationListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        invitations = invitation_list(
            organization=organization_of(request),
            now=timezone.now(),
            status=ApiStatus(filters["status"]) if "status" in filters else None,
            assessment_id=filters.get("assessment"),
            external_id=filters.get("external_id"),
            created_after=filters.get("created_after"),
            created_before=filters.get("created_before"),
        )
        page = cursor.paginate(invitations, request)
        results = InvitationOutput(page.rows, many=True, context=link_context(request)).data
        return Response(page.response_data(results))


class InvitationDetailApi(APIView):
    permission_classes = [HasScope.of("read")]

    @extend_schema(
        tags=["invitations"],
        operation_id="invitations_retrieve",
        summary="One invitation: its status as of now and its times",
        responses=InvitationOutput,
        examples=[OpenApiExample("An invitation", value=INVITATION_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, invitation_id: UUID) -> Response:
        invitation = invitation_or_404(request, invitation_id)
        return Response(InvitationOutput(invitation, context=link_context(request)).data)


class InvitationRevokeApi(APIView):
    permission_classes = [HasScope.of("invite")]

    @extend_schema(
        tags=["invitations"],
        operation_id="invitations_revoke",
        summary="Revoke an unfinished invitation: its link opens nothing more",
        description="What was already submitted is kept. 409 invitation_not_revocable once "
        "finished, expired... (the message says why).",
        request=None,
        responses=InvitationOutput,
        examples=[
            OpenApiExample(
                "Revoked",
                value={**INVITATION_EXAMPLE, "status": "revoked"},
                response_only=True,
            )
        ],
    )
    def post(self, request: Request, invitation_id: UUID) -> Response:
        invitation = invitation_or_404(request, invitation_id)
        revoked = api_invitation_revoke(invitation=invitation, actor=request.user)
        return Response(InvitationOutput(revoked, context=link_context(request)).data)


class InvitationExtendApi(APIView):
    permission_classes = [HasScope.of("invite")]

    @extend_schema(
        tags=["invitations"],
        operation_id="invitations_extend",
        summary="Give a candidate more time",
        description="Before the start the link's expiry moves (an expired invitation opens "
        "again); during the attempt the deadline moves. 409 invitation_not_extendable once "
        "finished or revoked.",
        request=InvitationExtendInput,
        responses=InvitationOutput,
        examples=[OpenApiExample("30 more minutes", value={"minutes": 30}, request_only=True)],
    )
    def post(self, request: Request, invitation_id: UUID) -> Response:
        invitation = invitation_or_404(request, invitation_id)
        data = InvitationExtendInput(data=request.data)
        data.is_valid(raise_exception=True)
        extended = api_invitation_extend(
            invitation=invitation, actor=request.user, minutes=data.validated_data["minutes"]
        )
        return Response(InvitationOutput(extended, context=link_context(request)).data)
