"""GET /api/v1/assessments and /api/v1/assessments/{assessment_id}: the organization's
assessments, for a hiring system to choose what to send (scope read)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import cursor
from api.access import HasScope, organization_of
from api.selectors import assessment_get, assessment_list
from api.serializers_assessments import AssessmentOutput, AssessmentPageOutput

ASSESSMENT_EXAMPLE = {
    "id": 12,
    "title": "ML engineer screen",
    "duration_minutes": 90,
    "show_hidden_results": True,
    "max_submissions": 5,
    "steps": [
        {
            "position": 1,
            "kind": "exercise",
            "slug": "kmeans",
            "title": "K-Means clustering",
            "version": 3,
            "weight": 2,
        },
        {
            "position": 2,
            "kind": "question",
            "slug": "early-stopping-signal",
            "title": "Which signal should stop training early?",
            "version": 1,
            "weight": 1,
        },
    ],
    "created_at": "2026-11-24T15:00:00Z",
}


class AssessmentListApi(APIView):
    permission_classes = [HasScope.of("read")]

    @extend_schema(
        tags=["assessments"],
        operation_id="assessments_list",
        summary="List the organization's assessments, newest first",
        parameters=cursor.PARAMETERS,
        responses=AssessmentPageOutput,
        examples=[
            OpenApiExample(
                "A page",
                value={
                    "results": [ASSESSMENT_EXAMPLE],
                    "next": "https://tensorjudge.example/api/v1/assessments?cursor=eyJ0Ijo",
                    "previous": None,
                },
                response_only=True,
            )
        ],
    )
    def get(self, request: Request) -> Response:
        page = cursor.paginate(assessment_list(organization=organization_of(request)), request)
        return Response(page.response_data(AssessmentOutput(page.rows, many=True).data))


class AssessmentDetailApi(APIView):
    permission_classes = [HasScope.of("read")]

    @extend_schema(
        tags=["assessments"],
        operation_id="assessments_retrieve",
        summary="One assessment: its settings and steps",
        responses=AssessmentOutput,
        examples=[OpenApiExample("An assessment", value=ASSESSMENT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, assessment_id: int) -> Response:
        assessment = assessment_get(
            organization=organization_of(request), assessment_id=assessment_id
        )
        if assessment is None:
            raise NotFound(f"no assessment {assessment_id}")
        return Response(AssessmentOutput(assessment).data)
