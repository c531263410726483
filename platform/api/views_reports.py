"""GET /api/v1/invitations/{invitation_id}/report: a candidate's results (scope read)."""

from __future__ import annotations

from uuid import UUID

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.access import HasScope
from api.reports import invitation_report
from api.serializers_reports import ReportOutput
from api.views_invitations import INVITATION_EXAMPLE, invitation_or_404, link_context

REPORT_EXAMPLE = {
    "invitation": {
        **INVITATION_EXAMPLE,
        "status": "graded",
        "started_at": "2026-11-25T09:00:00Z",
        "deadline": "2026-11-25T10:30:00Z",
        "finished_at": "2026-11-25T10:12:41Z",
        "report_url": "https://tensorjudge.example/r/7d0c7a5e-4a8f-4f7e-9c1e-2f0d6a1b9c3e?t=...",
    },
    "total": 83.3,
    "provisional": False,
    "time_spent_s": 4361,
    "steps": [
        {
            "position": 1,
            "kind": "exercise",
            "slug": "kmeans",
            "title": "K-Means clustering",
            "weight": 2,
            "score": 75.0,
            "state": "scored",
            "verdict": "WRONG_ANSWER",
            "speed_ratio": 1.12,
            "submissions": 3,
            "tests": [
                {"name": "test_converges", "outcome": "passed", "points": 3.0, "max_points": 3.0},
                {
                    "name": "test_empty_cluster",
                    "outcome": "failed",
                    "points": 0.0,
                    "max_points": 1.0,
                },
            ],
        },
        {
            "position": 2,
            "kind": "question",
            "slug": "early-stopping-signal",
            "title": "Which signal should stop training early?",
            "weight": 1,
            "score": 100.0,
            "state": "scored",
            "verdict": None,
            "speed_ratio": None,
            "submissions": None,
            "tests": [],
        },
    ],
}


class InvitationReportApi(APIView):
    permission_classes = [HasScope.of("read")]

    @extend_schema(
        tags=["reports"],
        operation_id="invitations_report",
        summary="A candidate's report: total, per-step scores, verdicts, speed, tests",
        description="Scores follow the interviewer's report: an exercise counts the best "
        "graded hidden-test submission; a short answer counts 0 until a reviewer grades it "
        "(`provisional` is then true). `invitation.report_url` opens the human report page.",
        responses=ReportOutput,
        examples=[OpenApiExample("A report", value=REPORT_EXAMPLE, response_only=True)],
    )
    def get(self, request: Request, invitation_id: UUID) -> Response:
        invitation = invitation_or_404(request, invitation_id)
        report = invitation_report(invitation)
        return Response(ReportOutput(report, context=link_context(request)).data)
