"""Reads of the interviewer's assessment pages: the organization's assessments with their
counts, an assessment's steps and invitations as the pages show them, and the bank entries
an assessment can be built from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from accounts.models import Organization
from assessments.models import Assessment, AssessmentItem, Invitation
from assessments.reports import assessment_report
from bank.selectors import exercise_list, question_list

Status = Invitation.Status


def assessment_list(*, organization: Organization) -> QuerySet[Assessment]:
    """The organization's assessments, newest first, with `steps_count` and the number of
    invitations `invited_count`, `started_count`, `submitted_count` (as stored)."""

    def invitations(status: str) -> Count:
        return Count("invitations", filter=Q(invitations__status=status), distinct=True)

    return (
        Assessment.objects.filter(organization=organization)
        .annotate(
            steps_count=Count("items", distinct=True),
            invited_count=invitations(Status.INVITED),
            started_count=invitations(Status.STARTED),
            submitted_count=invitations(Status.SUBMITTED),
        )
        .order_by("-created_at", "-id")
    )


def question_title(prompt: str, slug: str) -> str:
    """A question's label: the first line of its prompt, shortened."""
    first_line = prompt.strip().splitlines()[0] if prompt.strip() else slug
    return first_line if len(first_line) <= 80 else first_line[:77] + "…"


@dataclass(frozen=True)
class StepRow:
    item: AssessmentItem
    kind: str  # "exercise" or the question's kind
    slug: str
    title: str
    version_number: int | None
    share_percent: float  # weight / sum of weights

    @property
    def key(self) -> str:
        return f"{'exercise' if self.item.is_exercise else 'question'}:{self.slug}"


def assessment_steps(assessment: Assessment) -> list[StepRow]:
    """The steps in order with what each is pinned to."""
    items = list(
        AssessmentItem.objects.filter(assessment=assessment)
        .select_related("exercise", "question", "exercise_version", "question_version")
        .defer("exercise_version__package")
        .order_by("position")
    )
    total = sum(item.weight for item in items) or 1
    rows = []
    for item in items:
        share = round(100 * item.weight / total, 1)
        if item.exercise is not None:
            exercise_version = item.pinned_exercise_version
            title = exercise_version.title if exercise_version else item.exercise.slug
            number = exercise_version.number if exercise_version else None
            rows.append(StepRow(item, "exercise", item.exercise.slug, title, number, share))
            continue
        assert item.question is not None
        question_version = item.pinned_question_version
        prompt = question_version.texts.get("en", {}).get("prompt", "") if question_version else ""
        rows.append(
            StepRow(
                item,
                question_version.kind if question_version else "question",
                item.question.slug,
                question_title(prompt, item.question.slug),
                question_version.number if question_version else None,
                share,
            )
        )
    return rows


@dataclass(frozen=True)
class InvitationRow:
    invitation: Invitation
    status: str  # as of now: an unused link past its expiry is "expired" even if not settled
    total: float | None = None  # the report's total score, once started
    provisional: bool = False  # some short answer is still to grade

    @property
    def can_resend(self) -> bool:
        return self.status in (Status.INVITED, Status.EXPIRED)

    @property
    def can_revoke(self) -> bool:
        return self.status in (Status.INVITED, Status.STARTED)

    @property
    def can_extend(self) -> bool:
        return self.status in (Status.INVITED, Status.EXPIRED, Status.STARTED)

    @property
    def can_set_extra_time(self) -> bool:
        return self.status == Status.INVITED

    @property
    def has_report(self) -> bool:
        return self.invitation.started_at is not None

    @property
    def badge(self) -> str:
        return {
            Status.SUBMITTED: "ok",
            Status.STARTED: "warn",
            Status.EXPIRED: "bad",
            Status.REVOKED: "bad",
        }.get(Status(self.status), "")


def _status_now(invitation: Invitation, now: datetime) -> str:
    if invitation.link_expired(now):
        return Status.EXPIRED
    if invitation.status == Status.STARTED and invitation.time_is_up(now):
        return Status.SUBMITTED
    return invitation.status


def invitation_list(assessment: Assessment) -> list[InvitationRow]:
    """The assessment's invitations, newest first, with their status as of now and, once
    started, their total score (assessments.reports holds the scoring rules)."""
    now = timezone.now()
    scores = {row.invitation.id: row for row in assessment_report(assessment).rows}
    rows = []
    for invitation in Invitation.objects.filter(assessment=assessment).order_by("-created_at"):
        report = scores.get(invitation.id)
        started = invitation.started_at is not None and report is not None
        rows.append(
            InvitationRow(
                invitation,
                _status_now(invitation, now),
                total=report.total if started and report else None,
                provisional=bool(started and report and report.provisional),
            )
        )
    return rows


@dataclass(frozen=True)
class BankChoice:
    """An exercise or a question the organization can put in an assessment."""

    key: str  # "exercise:<slug>" or "question:<slug>": what the form posts
    kind: str  # "exercise" or the question's kind
    slug: str
    title: str
    detail: str  # difficulty, tags, GPU: what the search matches besides the title
    version_number: int
    own: bool  # the organization's own entry (not the shared bank)

    def matches(self, search: str) -> bool:
        """Whether the slug, title or details contain every word of `search`."""
        text = f"{self.slug} {self.title} {self.detail}".lower()
        return all(word in text for word in search.lower().split())


def bank_choices(*, organization: Organization) -> list[BankChoice]:
    """Exercises then questions visible to `organization` with a published version, by slug."""
    choices = []
    for exercise in exercise_list(organization=organization).order_by("slug"):
        version = exercise.current_version
        assert version is not None
        gpu = "" if version.gpu == "none" else f" · GPU {version.gpu}"
        choices.append(
            BankChoice(
                key=f"exercise:{exercise.slug}",
                kind="exercise",
                slug=exercise.slug,
                title=version.title,
                detail=f"{version.difficulty} · {', '.join(version.tags)}{gpu}",
                version_number=version.number,
                own=exercise.organization_id is not None,
            )
        )
    for question in question_list(organization=organization).order_by("slug"):
        question_version = question.current_version
        assert question_version is not None
        prompt = question_version.texts.get("en", {}).get("prompt", "")
        choices.append(
            BankChoice(
                key=f"question:{question.slug}",
                kind=question_version.kind,
                slug=question.slug,
                title=question_title(prompt, question.slug),
                detail=(
                    f"{question_version.kind} · {question_version.topic} · "
                    f"{question_version.difficulty} · {', '.join(question_version.tags)}"
                ),
                version_number=question_version.number,
                own=question.organization_id is not None,
            )
        )
    return choices
