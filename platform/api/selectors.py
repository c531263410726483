"""Reads of the API's resources, each scoped to one organization (an API key's): another
organization's objects are simply not found."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Organization
from api.invitation_status import ApiStatus, status_filter, with_grading_state
from assessments.models import Assessment, AssessmentItem, Invitation
from assessments.overview import question_title
from submissions.models import Submission


def _steps() -> QuerySet[AssessmentItem]:
    return (
        AssessmentItem.objects.select_related(
            "exercise__current_version",
            "question__current_version",
            "exercise_version",
            "question_version",
        )
        .defer("exercise__current_version__package", "exercise_version__package")
        .order_by("position")
    )


def assessment_list(*, organization: Organization) -> QuerySet[Assessment]:
    """The organization's assessments with their steps (prefetched: a page is two queries)."""
    return Assessment.objects.filter(organization=organization).prefetch_related(
        Prefetch("items", queryset=_steps())
    )


def assessment_get(*, organization: Organization, assessment_id: int) -> Assessment | None:
    return assessment_list(organization=organization).filter(id=assessment_id).first()


@dataclass(frozen=True)
class StepSummary:
    """One step of an assessment as the API shows it."""

    position: int
    kind: str  # "exercise" or "question"
    slug: str
    title: str
    version: int | None  # the pinned version's number
    weight: int


def step_summary(item: AssessmentItem) -> StepSummary:
    if item.exercise is not None:
        exercise_version = item.pinned_exercise_version
        title = exercise_version.title if exercise_version else item.exercise.slug
        number = exercise_version.number if exercise_version else None
        return StepSummary(
            item.position, "exercise", item.exercise.slug, title, number, item.weight
        )
    assert item.question is not None  # a step is an exercise xor a question
    question_version = item.pinned_question_version
    prompt = question_version.texts.get("en", {}).get("prompt", "") if question_version else ""
    return StepSummary(
        item.position,
        "question",
        item.question.slug,
        question_title(prompt, item.question.slug),
        question_version.number if question_version else None,
        item.weight,
    )


def assessment_step_summaries(assessment: Assessment) -> list[StepSummary]:
    """The steps in order (from the prefetch of `assessment_list` when there is one)."""
    return [step_summary(item) for item in assessment.items.all()]


def invitation_list(
    *,
    organization: Organization,
    now: datetime,
    status: ApiStatus | None = None,
    assessment_id: int | None = None,
    external_id: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> QuerySet[Invitation]:
    """The organization's invitations matching every filter given: `status` as of `now` (see
    api.invitation_status), created in [created_after, created_before)."""
    invitations = with_grading_state(
        Invitation.objects.filter(assessment__organization=organization)
    )
    filters = Q()
    if status is not None:
        filters &= status_filter(status, now)
    if assessment_id is not None:
        filters &= Q(assessment_id=assessment_id)
    if external_id is not None:
        filters &= Q(external_id=external_id)
    if created_after is not None:
        filters &= Q(created_at__gte=created_after)
    if created_before is not None:
        filters &= Q(created_at__lt=created_before)
    return invitations.filter(filters)


def invitation_get(*, organization: Organization, invitation_id: UUID) -> Invitation | None:
    return (
        with_grading_state(Invitation.objects.filter(assessment__organization=organization))
        .select_related("assessment")
        .filter(id=invitation_id)
        .first()
    )


def active_invitation_emails(*, assessment: Assessment, emails: list[str]) -> set[str]:
    """Which of `emails` (compared without case) hold an invitation to `assessment` that is not
    finished: the candidate cannot be invited to it again until it is."""
    wanted = {email.lower() for email in emails}
    taken = Invitation.objects.filter(
        assessment=assessment, status__in=(Invitation.Status.INVITED, Invitation.Status.STARTED)
    ).values_list("candidate_email", flat=True)
    return {email.lower() for email in taken if email.lower() in wanted}


def _of_organization(organization: Organization) -> Q:
    """Submissions that belong to `organization`: made through one of its API keys, or by a
    candidate it invited."""
    return Q(owner__api_key__organization=organization) | Q(
        owner__invitation__assessment__organization=organization
    )


def organization_submission_list(*, organization: Organization) -> QuerySet[Submission]:
    """The organization's submissions, newest first (re-grades, the platform's own, left out
    as in submissions.selectors.submission_list)."""
    return (
        Submission.objects.filter(_of_organization(organization), regrade_of__isnull=True)
        .select_related("exercise_version__exercise")
        .defer("code", "report", "exercise_version__package")
        .order_by("-created_at")
    )


def organization_submission_get(
    *, organization: Organization, submission_id: UUID
) -> Submission | None:
    return (
        Submission.objects.filter(_of_organization(organization), id=submission_id)
        .select_related("exercise_version__exercise")
        .defer("exercise_version__package")
        .prefetch_related("tests")
        .first()
    )
