"""API v1 views: parse, call one service or selector, render (HackSoft style)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import ApiKey, Organization
from accounts.selectors import membership_of
from api.pagination import Pagination
from api.selectors import organization_submission_get, organization_submission_list
from api.serializers import (
    ExerciseDetailOutput,
    ExerciseListOutput,
    QuestionDetailOutput,
    QuestionListOutput,
    SubmissionCreateInput,
    SubmissionDetailOutput,
    SubmissionOutput,
)
from bank.question_files import KINDS, LANGUAGES, TOPICS
from bank.selectors import (
    exercise_get,
    exercise_list,
    preferred_language,
    question_get,
    question_list,
)
from submissions.models import Submission
from submissions.progress import progress_sse_response
from submissions.selectors import submission_get, submission_list
from submissions.services import SubmissionRejected, submission_create


def _organization(request: Request) -> Organization | None:
    """The caller's organization (an API key's, or the member's): its own exercises and
    questions are visible beside the shared bank's (none for an account outside any)."""
    if isinstance(request.auth, ApiKey):
        return request.auth.organization
    membership = membership_of(request.user)
    return membership.organization if membership else None


class KeyScopes(permissions.BasePermission):
    """With an API key: reads need the read scope, submitting code the invite scope (tokens
    and sessions are not concerned)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        key = request.auth
        if not isinstance(key, ApiKey):
            return True
        scope = "read" if request.method in permissions.SAFE_METHODS else "invite"
        if not key.allows(scope):
            raise PermissionDenied(f"this API key lacks the {scope!r} scope")
        return True


class ExerciseListApi(APIView):
    pagination_class = Pagination  # for the schema: the page, not a bare list

    @extend_schema(responses=ExerciseListOutput(many=True), summary="List the exercise bank")
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(
            exercise_list(organization=_organization(request)), request, view=self
        )
        return paginator.get_paginated_response(ExerciseListOutput(page, many=True).data)


class ExerciseDetailApi(APIView):
    @extend_schema(
        responses=ExerciseDetailOutput,
        summary="One exercise: statement, starter, "
        "public tests, limits (never the hidden tests or the reference)",
    )
    def get(self, request: Request, slug: str) -> Response:
        exercise = exercise_get(slug=slug, organization=_organization(request))
        if exercise is None:
            raise NotFound(f"no exercise {slug!r}")
        return Response(ExerciseDetailOutput(exercise).data)


def _query_choice(request: Request, name: str, allowed: Sequence[str]) -> str | None:
    """The query parameter `name`, if given, which must be one of `allowed` (else a clear 400)."""
    value = request.query_params.get(name)
    if value is not None and value not in allowed:
        raise ValidationError({name: [f"{value!r} is not one of {', '.join(allowed)}"]})
    return value


def _language(request: Request, available: list[str]) -> str:
    """`?lang=` if given (an unknown one is a clear 400), else the best of Accept-Language,
    else English."""
    asked = _query_choice(request, "lang", available)
    if asked is not None:
        return asked
    return preferred_language(request.headers.get("Accept-Language", ""), available)


class QuestionListApi(APIView):
    pagination_class = Pagination

    @extend_schema(
        parameters=[
            OpenApiParameter("topic", str, enum=list(TOPICS)),
            OpenApiParameter("kind", str, enum=list(KINDS)),
        ],
        responses=QuestionListOutput(many=True),
        summary="List the interview questions (no answer keys)",
    )
    def get(self, request: Request) -> Response:
        questions = question_list(
            organization=_organization(request),
            topic=_query_choice(request, "topic", TOPICS),
            kind=_query_choice(request, "kind", KINDS),
        )
        paginator = Pagination()
        page = paginator.paginate_queryset(questions, request, view=self)
        return paginator.get_paginated_response(QuestionListOutput(page, many=True).data)


class QuestionDetailApi(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("lang", str, enum=list(LANGUAGES))],
        responses=QuestionDetailOutput,
        summary="One question in one language: prompt and choices, never the answer key",
    )
    def get(self, request: Request, slug: str) -> Response:
        question = question_get(slug=slug, organization=_organization(request))
        if question is None or question.current_version is None:
            raise NotFound(f"no question {slug!r}")
        language = _language(request, question.current_version.languages)
        return Response(QuestionDetailOutput(question, context={"language": language}).data)


def _submissions(request: Request) -> QuerySet[Submission]:
    """An API key reads its organization's submissions (its keys', its candidates'); anyone
    else their own."""
    if isinstance(request.auth, ApiKey):
        return organization_submission_list(organization=request.auth.organization)
    return submission_list(owner=request.user)


class SubmissionListCreateApi(APIView):
    pagination_class = Pagination
    permission_classes = [permissions.IsAuthenticated, KeyScopes]

    @extend_schema(
        responses=SubmissionOutput(many=True),
        summary="Your submissions (an API key: its organization's), newest first",
    )
    def get(self, request: Request) -> Response:
        paginator = Pagination()
        page = paginator.paginate_queryset(_submissions(request), request, view=self)
        return paginator.get_paginated_response(SubmissionOutput(page, many=True).data)

    @extend_schema(
        request=SubmissionCreateInput,
        responses={201: SubmissionDetailOutput},
        summary="Submit code: stored, queued, graded in the sandbox",
    )
    def post(self, request: Request) -> Response:
        data = SubmissionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        exercise = exercise_get(
            slug=data.validated_data["exercise"], organization=_organization(request)
        )
        if exercise is None:
            raise SubmissionRejected(
                f"no exercise {data.validated_data['exercise']!r}", field="exercise"
            )
        submission = submission_create(
            owner=request.user,
            exercise=exercise,
            code=data.validated_data["code"],
            suite=data.validated_data["suite"],
        )
        return Response(SubmissionDetailOutput(submission).data, status=status.HTTP_201_CREATED)


def _submission_or_404(request: Request, submission_id: UUID) -> Submission:
    if isinstance(request.auth, ApiKey):
        submission = organization_submission_get(
            organization=request.auth.organization, submission_id=submission_id
        )
    else:
        submission = submission_get(owner=request.user, submission_id=submission_id)
    if submission is None:
        raise NotFound(f"no submission {submission_id}")
    return submission


class SubmissionDetailApi(APIView):
    permission_classes = [permissions.IsAuthenticated, KeyScopes]

    @extend_schema(
        responses=SubmissionDetailOutput,
        summary="Status, verdict, score, per-test results, live progress",
    )
    def get(self, request: Request, submission_id: UUID) -> Response:
        return Response(SubmissionDetailOutput(_submission_or_404(request, submission_id)).data)


class EventStreamRenderer(BaseRenderer):
    media_type = "text/event-stream"
    format = "event-stream"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        return json.dumps(data).encode()  # only errors reach here; streams bypass renderers


class SubmissionEventsApi(APIView):
    permission_classes = [permissions.IsAuthenticated, KeyScopes]
    # JSON first: errors (404, 401...) are JSON whatever the client accepts; the stream itself
    # is a StreamingHttpResponse of its own type.
    renderer_classes = [JSONRenderer, EventStreamRenderer]

    def handle_exception(self, exc: Exception) -> Response:
        # An error is JSON even to a client that accepts only text/event-stream.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        responses={
            (200, "text/event-stream"): OpenApiResponse(
                {
                    "type": "object",
                    "description": "One event: `event` (test_started, test_finished, ... done)"
                    " and its JSON `data`",
                    "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
                }
            )
        },
        summary="Server-Sent Events: each test as it starts and finishes, then `done`",
    )
    def get(self, request: Request, submission_id: UUID) -> StreamingHttpResponse:
        submission = _submission_or_404(request, submission_id)
        return progress_sse_response(submission)
