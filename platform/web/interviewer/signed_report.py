"""A candidate's report opened by a signed link (`/r/<invitation id>?t=<token>`, made by
api.signed_report for API keys and webhooks): the interviewer's report page, read-only, for
people in a hiring system who have no account here. Without a valid token for that very
invitation it is a 404, like any object of another organization."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.audit import audit_record
from api.signed_report import report_token_opens
from assessments.candidate_report import QuestionStep, candidate_report
from assessments.models import Invitation
from web.statements import render_markdown


@never_cache
@require_GET
def signed_report_page(request: HttpRequest, invitation_id: UUID) -> HttpResponse:
    if not report_token_opens(request.GET.get("t", ""), invitation_id):
        raise Http404("no such report")
    invitation = get_object_or_404(
        Invitation.objects.select_related("assessment__organization"), id=invitation_id
    )
    report = candidate_report(invitation)
    sections = [
        (step, render_markdown(step.prompt) if isinstance(step, QuestionStep) else "")
        for step in report.steps
    ]
    organization = invitation.assessment.organization
    if organization is not None:
        audit_record(
            organization=organization,
            actor=None,
            action="report.view",
            target=invitation,
            detail={"via": "signed link"},
        )
    response = render(
        request,
        "interviewer/report_candidate.html",
        {
            "invitation": invitation,
            "report": report,
            "sections": sections,
            # Read-only: the grade form shows only on a finished attempt's page for members.
            "finished": False,
            "read_only": True,
        },
    )
    # The link is a credential: the pages it leads to must not receive it as a referrer.
    response["Referrer-Policy"] = "no-referrer"
    return response


urlpatterns = [
    path("r/<uuid:invitation_id>", signed_report_page, name="signed-report"),
]
