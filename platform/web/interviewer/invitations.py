"""The invitation endpoints of the assessment page (owners and authors): invite one, invite by
CSV, resend, revoke, extend, extra time. Inviting and resending answer with the assessment page
itself, carrying the new links: a link is a secret, shown in that response and stored nowhere.
The others redirect back to the page with a message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseNotAllowed,
    HttpResponseRedirect,
)
from django.urls import path, reverse
from django.utils import timezone

from assessments.models import Assessment, Invitation
from assessments.services import (
    AssessmentError,
    invitation_extend,
    invitation_resend,
    invitation_revoke,
    invitation_set_extra_time,
    invitations_create,
)
from web.interviewer.access import member_required, organization_of, scoped_or_404
from web.interviewer.assessment_detail import base_url, render_detail
from web.interviewer.assessment_forms import (
    CsvInviteForm,
    ExtendForm,
    ExtraTimeForm,
    InviteForm,
    form_problem,
)


def _assessment(request: HttpRequest, assessment_id: int) -> Assessment:
    return scoped_or_404(Assessment.objects, organization_of(request), pk=assessment_id)


def _invitation(request: HttpRequest, invitation_id: Any) -> Invitation:
    invitation = (
        Invitation.objects.select_related("assessment__organization")
        .filter(assessment__organization=organization_of(request), id=invitation_id)
        .first()
    )
    if invitation is None:
        raise Http404("not found")
    return invitation


def _not_post(request: HttpRequest) -> HttpResponse | None:
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


def _invite(
    request: HttpRequest,
    assessment: Assessment,
    candidates: list[tuple[str, str, int]],
    expiry_days: int,
    form: InviteForm | CsvInviteForm,
) -> HttpResponse:
    try:
        created = invitations_create(
            assessment=assessment,
            actor=request.user,
            candidates=candidates,
            expires_at=timezone.now() + timedelta(days=expiry_days),
            base_url=base_url(request),
        )
    except AssessmentError as exc:
        form.add_error(None, str(exc))
        return _form_again(request, assessment, form)
    unsent = [
        invitation.candidate_email for invitation, _ in created if not invitation.last_sent_at
    ]
    if unsent:
        messages.warning(
            request,
            f"The email to {', '.join(unsent)} could not be sent: pass on the link below.",
        )
    messages.success(request, f"Invited {len(created)} candidate(s).")
    return render_detail(request, assessment, created=created)


def _form_again(
    request: HttpRequest, assessment: Assessment, form: InviteForm | CsvInviteForm
) -> HttpResponse:
    if isinstance(form, InviteForm):
        return render_detail(request, assessment, invite_form=form, status=400)
    return render_detail(request, assessment, csv_form=form, status=400)


@member_required(author=True)
def invitation_create(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    if refused := _not_post(request):
        return refused
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _form_again(request, assessment, form)
    data = form.cleaned_data
    candidate = (data["name"], data["email"], data["extra_minutes"])
    return _invite(request, assessment, [candidate], data["expiry_days"], form)


@member_required(author=True)
def invitations_csv(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = _assessment(request, assessment_id)
    if refused := _not_post(request):
        return refused
    form = CsvInviteForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_again(request, assessment, form)
    data = form.cleaned_data
    return _invite(request, assessment, data["candidates"], data["expiry_days"], form)


def _back(invitation: Invitation) -> HttpResponse:
    url = reverse("interviewer:assessment", args=[invitation.assessment_id])
    return HttpResponseRedirect(url + "#invitations")


@member_required(author=True)
def resend(request: HttpRequest, invitation_id: Any) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    if refused := _not_post(request):
        return refused
    sent_before = invitation.last_sent_at
    try:
        invitation, token = invitation_resend(
            invitation=invitation,
            actor=request.user,
            base_url=base_url(request),
        )
    except AssessmentError as exc:
        messages.error(request, str(exc))
        return _back(invitation)
    if invitation.last_sent_at == sent_before:
        messages.warning(request, "The email could not be sent: pass on the link below.")
    else:
        messages.success(
            request,
            f"A new link was sent to {invitation.candidate_email}; the old one no longer works.",
        )
    return render_detail(request, invitation.assessment, created=[(invitation, token)])


@member_required(author=True)
def revoke(request: HttpRequest, invitation_id: Any) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    if refused := _not_post(request):
        return refused
    try:
        invitation_revoke(invitation=invitation, actor=request.user)
    except AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The invitation of {invitation.candidate_name} is revoked.")
    return _back(invitation)


@member_required(author=True)
def extend(request: HttpRequest, invitation_id: Any) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    if refused := _not_post(request):
        return refused
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Extend: {form_problem(form)}")
        return _back(invitation)
    try:
        invitation = invitation_extend(
            invitation=invitation,
            actor=request.user,
            minutes=form.cleaned_data["minutes"],
        )
    except AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        if invitation.status == Invitation.Status.STARTED:
            until = f"their deadline is now {invitation.deadline:%Y-%m-%d %H:%M} UTC"
        else:
            until = f"their link works until {invitation.expires_at:%Y-%m-%d %H:%M} UTC"
        messages.success(request, f"Extended {invitation.candidate_name}: {until}.")
    return _back(invitation)


@member_required(author=True)
def extra_time(request: HttpRequest, invitation_id: Any) -> HttpResponse:
    invitation = _invitation(request, invitation_id)
    if refused := _not_post(request):
        return refused
    form = ExtraTimeForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Extra time: {form_problem(form)}")
        return _back(invitation)
    try:
        invitation = invitation_set_extra_time(
            invitation=invitation,
            actor=request.user,
            extra_minutes=form.cleaned_data["extra_minutes"],
        )
    except AssessmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{invitation.candidate_name} gets {invitation.extra_minutes} extra minutes "
            "when they start.",
        )
    return _back(invitation)


urlpatterns = [
    path(
        "app/assessments/<int:assessment_id>/invitations",
        invitation_create,
        name="invitation-create",
    ),
    path(
        "app/assessments/<int:assessment_id>/invitations/csv",
        invitations_csv,
        name="invitations-csv",
    ),
    path("app/invitations/<uuid:invitation_id>/resend", resend, name="invitation-resend"),
    path("app/invitations/<uuid:invitation_id>/revoke", revoke, name="invitation-revoke"),
    path("app/invitations/<uuid:invitation_id>/extend", extend, name="invitation-extend"),
    path(
        "app/invitations/<uuid:invitation_id>/extra-time",
        extra_time,
        name="invitation-extra-time",
    ),
]
