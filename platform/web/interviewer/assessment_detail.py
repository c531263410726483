"""The assessment page (summary, steps, invitations, invite forms), rendered by its own view
and by the invitation endpoints that answer with it: the links of new invitations are shown
in that one response and stored nowhere."""

from __future__ import annotations

from collections.abc import Sequence

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.models import Assessment, Invitation
from assessments.overview import assessment_steps, invitation_list
from assessments.services import INVITATION_VALID_DAYS, assessment_started, candidate_link
from web.interviewer.assessment_forms import CsvInviteForm, InviteForm
from web.statements import render_markdown


def base_url(request: HttpRequest) -> str:
    """Where candidates reach this site: the links in emails start with it."""
    return request.build_absolute_uri("/").rstrip("/")


def render_detail(
    request: HttpRequest,
    assessment: Assessment,
    *,
    invite_form: InviteForm | None = None,
    csv_form: CsvInviteForm | None = None,
    created: Sequence[tuple[Invitation, str]] = (),
    status: int = 200,
) -> HttpResponse:
    """The assessment page; `created` are (invitation, token) pairs whose links it shows."""
    site = base_url(request)
    return render(
        request,
        "interviewer/assessment.html",
        {
            "assessment": assessment,
            "intro_html": render_markdown(assessment.intro) if assessment.intro else "",
            "steps": assessment_steps(assessment),
            "invitations": invitation_list(assessment),
            "started": assessment_started(assessment),
            "invite_form": invite_form
            or InviteForm(initial={"expiry_days": INVITATION_VALID_DAYS}),
            "csv_form": csv_form or CsvInviteForm(initial={"expiry_days": INVITATION_VALID_DAYS}),
            "created": [(invitation, candidate_link(site, token)) for invitation, token in created],
        },
        status=status,
    )
