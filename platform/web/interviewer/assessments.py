"""The assessment pages: the organization's list, a new assessment, one assessment, its edit
page. Every member reads; owners and authors change (the invitation endpoints are in
web.interviewer.invitations, whose URLs are listed here too)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from assessments.models import Assessment
from assessments.overview import assessment_list, assessment_steps, bank_choices
from assessments.services import (
    AssessmentError,
    assessment_create,
    assessment_set_steps,
    assessment_started,
    assessment_update,
)
from web.interviewer import invitations
from web.interviewer.access import member_required, organization_of, scoped_or_404
from web.interviewer.assessment_detail import render_detail
from web.interviewer.assessment_forms import (
    AssessmentForm,
    StepInput,
    step_rows,
    steps_from_post,
)


@require_GET
@member_required
def assessments_page(request: HttpRequest) -> HttpResponse:
    organization = organization_of(request)
    return render(
        request,
        "interviewer/assessments.html",
        {"assessments": assessment_list(organization=organization)},
    )


def _render_form(
    request: HttpRequest,
    *,
    form: AssessmentForm,
    rows: list[StepInput],
    assessment: Assessment | None = None,
    steps_locked: bool = False,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "interviewer/assessment_form.html",
        {
            "form": form,
            "rows": rows,
            "assessment": assessment,
            "steps_locked": steps_locked,
            "steps_errors": errors or [],
            "search": request.GET.get("q", ""),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_required(author=True)
def assessment_new(request: HttpRequest) -> HttpResponse:
    organization = organization_of(request)
    choices = bank_choices(organization=organization)
    if request.method != "POST":
        rows = step_rows(choices, [], request.GET.get("q", ""))
        return _render_form(request, form=AssessmentForm(), rows=rows)
    form = AssessmentForm(request.POST)
    steps = steps_from_post(request.POST, choices, organization)
    if form.is_valid() and steps.is_valid:
        try:
            assessment = assessment_create(
                organization=organization,
                created_by=request.user,
                steps=steps.steps,
                **form.cleaned_data,
            )
        except AssessmentError as exc:
            steps.errors.append(str(exc))
        else:
            messages.success(request, f"“{assessment.title}” is ready: invite candidates below.")
            return HttpResponseRedirect(reverse("interviewer:assessment", args=[assessment.pk]))
    return _render_form(request, form=form, rows=steps.rows, errors=steps.errors, status=400)


@require_GET
@member_required
def assessment_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment = scoped_or_404(Assessment.objects, organization_of(request), pk=assessment_id)
    return render_detail(request, assessment)


@require_http_methods(["GET", "POST"])
@member_required(author=True)
def assessment_edit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    organization = organization_of(request)
    assessment = scoped_or_404(Assessment.objects, organization, pk=assessment_id)
    choices = bank_choices(organization=organization)
    locked = assessment_started(assessment)
    initial = {name: getattr(assessment, name) for name in AssessmentForm.FIELDS}
    if request.method != "POST":
        form = AssessmentForm(initial=initial, fixed=locked)
        rows = step_rows(choices, assessment_steps(assessment), request.GET.get("q", ""))
        return _render_form(
            request, form=form, rows=rows, assessment=assessment, steps_locked=locked
        )
    form = AssessmentForm(request.POST, initial=initial, fixed=locked)
    steps = steps_from_post(request.POST, choices, organization)
    if locked:  # the page shows the steps read-only: whatever was posted for them is ignored
        steps.errors.clear()
        steps.rows = step_rows(choices, assessment_steps(assessment))
    if form.is_valid() and steps.is_valid:
        try:
            # Settings and steps change together or not at all.
            with transaction.atomic():
                assessment_update(assessment=assessment, actor=request.user, **form.cleaned_data)
                if not locked:
                    assessment_set_steps(
                        assessment=assessment,
                        actor=request.user,
                        steps=steps.steps,
                    )
        except AssessmentError as exc:
            steps.errors.append(str(exc))
        else:
            messages.success(request, "Saved.")
            return HttpResponseRedirect(reverse("interviewer:assessment", args=[assessment.pk]))
    return _render_form(
        request,
        form=form,
        rows=steps.rows,
        assessment=assessment,
        steps_locked=locked,
        errors=steps.errors,
        status=400,
    )


urlpatterns = [
    path("app/assessments/", assessments_page, name="assessments"),
    path("app/assessments/new", assessment_new, name="assessment-new"),
    path("app/assessments/<int:assessment_id>", assessment_page, name="assessment"),
    path("app/assessments/<int:assessment_id>/edit", assessment_edit, name="assessment-edit"),
    *invitations.urlpatterns,
]
