"""Reports: an assessment's candidates (table, plots, CSV) and one candidate's work, where
short answers are graded. Scores come from assessments.reports, which holds the rules."""

from __future__ import annotations

import csv
from uuid import UUID

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from accounts.audit import audit_record
from assessments.candidate_report import QuestionStep, candidate_report
from assessments.models import Answer, Assessment, AssessmentItem, Invitation
from assessments.reports import AssessmentReport, assessment_report, pass_rates, step_label
from assessments.services import invitation_settle
from assessments.services.grading import MAX_COMMENT_CHARS, GradingError, answer_grade
from web import plots
from web.interviewer.access import member_required, organization_of, scoped_or_404
from web.statements import render_markdown

# Cells a spreadsheet would run as a formula (OWASP's list): such text gets a leading quote.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plots(report: AssessmentReport) -> dict[str, str]:
    """The three plots of the assessment report, as SVG markup (escaped in web.plots)."""
    submitted = [r for r in report.rows if r.invitation.status == Invitation.Status.SUBMITTED]
    rates = pass_rates(report)
    points = [
        plots.Point(
            step.score, speed.ratio, f"{row.invitation.candidate_name}, {step_label(step.item)}"
        )
        for row in report.rows
        for step in row.steps
        if (speed := step.speed) is not None
    ]
    svgs = {
        "distribution": plots.histogram(
            [row.total for row in submitted],
            bins=10,
            title="Score distribution (submitted candidates)",
            x_label="total score",
            y_label="candidates",
            noun="candidate",
        ),
        "pass_rate": plots.bar_chart(
            [item.exercise.slug if item.exercise else "" for item, _, _ in rates],
            [rate for _, rate, _ in rates],
            title="Pass rate per exercise (counted submission accepted)",
            y_label="share of candidates who started",
            notes=[f"of {started} who started" for _, _, started in rates],
        ),
        "speed": plots.scatter(
            points,
            title="Speed ratio vs correctness",
            x_label="score of the counted submission",
            y_label="speed ratio (1 = the reference)",
            reference_label="as fast as the reference",
        ),
    }
    return {name: mark_safe(svg) for name, svg in svgs.items()}  # escaped in web.plots


@member_required
def assessment_report_page(request: HttpRequest, assessment_id: int) -> HttpResponse:
    organization = organization_of(request)
    assessment = scoped_or_404(Assessment.objects.all(), organization, id=assessment_id)
    report = assessment_report(assessment)
    audit_record(
        organization=organization, actor=request.user, action="report.view", target=assessment
    )
    return render(
        request,
        "interviewer/report_assessment.html",
        {"assessment": assessment, "report": report, "plots": _plots(report)},
    )


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@member_required
def assessment_report_csv(request: HttpRequest, assessment_id: int) -> HttpResponse:
    organization = organization_of(request)
    assessment = scoped_or_404(Assessment.objects.all(), organization, id=assessment_id)
    report = assessment_report(assessment)
    name = slugify(assessment.title) or "assessment"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{assessment.id}-report.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "name",
            "email",
            "status",
            "started",
            "finished",
            "time spent (minutes)",
            "total",
            "provisional",
            *(f"{n}. {label}" for n, label in enumerate(report.labels, start=1)),
        ]
    )
    for row in report.rows:
        invitation = row.invitation
        writer.writerow(
            _cell(value)
            for value in [
                invitation.candidate_name,
                invitation.candidate_email,
                invitation.status,
                invitation.started_at.isoformat() if invitation.started_at else "",
                invitation.finished_at.isoformat() if invitation.finished_at else "",
                row.time_spent_minutes,
                row.total,
                "yes" if row.provisional else "no",
                *(round(step.score, 1) for step in row.steps),
            ]
        )
    audit_record(
        organization=organization, actor=request.user, action="report.export", target=assessment
    )
    return response


def _invitation_or_404(request: HttpRequest, invitation_id: UUID) -> Invitation:
    # Invitations belong to an organization through their assessment.
    return get_object_or_404(
        Invitation.objects.select_related("assessment"),
        id=invitation_id,
        assessment__organization=organization_of(request),
    )


@member_required
def candidate_report_page(request: HttpRequest, invitation_id: UUID) -> HttpResponse:
    # Up to the clock first: an attempt past its deadline is over, and its answers can be graded.
    invitation = invitation_settle(invitation=_invitation_or_404(request, invitation_id))
    report = candidate_report(invitation)
    # Prompts are Markdown, rendered as the candidate saw them (sanitized in web.statements).
    sections = [
        (step, render_markdown(step.prompt) if isinstance(step, QuestionStep) else "")
        for step in report.steps
    ]
    audit_record(
        organization=organization_of(request),
        actor=request.user,
        action="report.view",
        target=invitation,
    )
    return render(
        request,
        "interviewer/report_candidate.html",
        {
            "invitation": invitation,
            "report": report,
            "sections": sections,
            "finished": invitation.status == Invitation.Status.SUBMITTED,
            "max_comment_chars": MAX_COMMENT_CHARS,
        },
    )


class GradeForm(forms.Form):
    points = forms.FloatField()
    comment = forms.CharField(required=False, max_length=MAX_COMMENT_CHARS)


@member_required
def grade(request: HttpRequest, invitation_id: UUID, item_id: int) -> HttpResponse:
    invitation = _invitation_or_404(request, invitation_id)
    item = get_object_or_404(AssessmentItem, id=item_id, assessment_id=invitation.assessment_id)
    # After the lookups: another organization's objects are a 404 whatever the method.
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    answer = Answer.objects.filter(invitation=invitation, item=item).first()
    target = reverse("interviewer:candidate-report", args=[invitation.id]) + f"#item-{item.id}"
    form = GradeForm(request.POST)
    if answer is None:
        messages.error(request, "The candidate did not answer this question: nothing to grade.")
    elif not form.is_valid():
        problems = "; ".join(f"{field}: {' '.join(errs)}" for field, errs in form.errors.items())
        messages.error(request, f"The grade was not saved. {problems}")
    else:
        try:
            answer_grade(
                answer=answer,
                actor=request.user,  # type: ignore[arg-type]
                points=form.cleaned_data["points"],
                comment=form.cleaned_data["comment"],
            )
        except GradingError as exc:
            messages.error(request, f"The grade was not saved. {exc}")
        else:
            messages.success(request, f"Graded: {form.cleaned_data['points']:g} points.")
    return redirect(target)


urlpatterns = [
    path(
        "app/assessments/<int:assessment_id>/report",
        assessment_report_page,
        name="assessment-report",
    ),
    path(
        "app/assessments/<int:assessment_id>/report.csv",
        assessment_report_csv,
        name="assessment-report-csv",
    ),
    path("app/candidates/<uuid:invitation_id>", candidate_report_page, name="candidate-report"),
    path(
        "app/candidates/<uuid:invitation_id>/<int:item_id>/grade",
        grade,
        name="answer-grade",
    ),
]
