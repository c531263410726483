"""Reads of an attempt: the invitation behind a token, the steps with their state, drafts."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from django.db.models import QuerySet

from assessments.models import Answer, Assessment, AssessmentItem, Draft, Invitation, token_hash
from submissions.models import Submission


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation whose link carries `token`, or None (malformed tokens included)."""
    if not 20 <= len(token) <= 100:
        return None
    digest = token_hash(token)
    invitation = (
        Invitation.objects.select_related("assessment", "candidate")
        .filter(token_hash=digest)
        .first()
    )
    # The lookup is by an index; the comparison below only guards against a collation that
    # would match more loosely than bytes.
    if invitation is None or not hmac.compare_digest(invitation.token_hash, digest):
        return None
    return invitation


def invitation_by_id(invitation_id: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("assessment", "candidate")
        .filter(id=invitation_id)
        .first()
    )


def attempt_items(invitation: Invitation) -> QuerySet[AssessmentItem]:
    return assessment_steps(invitation.assessment)


def assessment_steps(assessment: Assessment) -> QuerySet[AssessmentItem]:
    """The steps in order, with their pinned versions (packages left in the database)."""
    return (
        AssessmentItem.objects.filter(assessment=assessment)
        .select_related(
            "exercise__current_version",
            "question__current_version",
            "exercise_version",
            "question_version",
        )
        .defer("exercise__current_version__package", "exercise_version__package")
        .order_by("position")
    )


STATE_LABELS = {
    "todo": "Not started",
    "draft": "In progress",
    "answered": "Answered",
    "accepted": "Accepted",
    "partial": "Partly passing",
    "submitted": "Submitted",
}


@dataclass(frozen=True)
class Step:
    """One step of the attempt as the sidebar shows it."""

    item: AssessmentItem
    number: int  # 1-based, what the candidate sees and the URL carries
    title: str
    kind: str  # "exercise" or the question kind
    state: str  # a key of STATE_LABELS

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


def _title(item: AssessmentItem) -> str:
    if item.exercise is not None:
        version = item.pinned_exercise_version
        return version.title if version else item.exercise.slug
    assert item.question is not None
    question_version = item.pinned_question_version
    prompt = question_version.texts.get("en", {}).get("prompt", "") if question_version else ""
    first_line = prompt.strip().splitlines()[0] if prompt.strip() else item.question.slug
    return first_line if len(first_line) <= 60 else first_line[:57] + "…"


def attempt_steps(invitation: Invitation) -> list[Step]:
    """Every step in order, with what the candidate has done on it."""
    drafts = {d.item_id: d for d in Draft.objects.filter(invitation=invitation)}
    answered = set(Answer.objects.filter(invitation=invitation).values_list("item_id", flat=True))
    best: dict[int, float] = {}  # exercise id -> best hidden-suite score
    for exercise_id, score in Submission.objects.filter(
        owner=invitation.candidate,
        suite=Submission.Suite.HIDDEN,
        status=Submission.Status.GRADED,
    ).values_list("exercise_version__exercise_id", "score"):
        best[exercise_id] = max(best.get(exercise_id, 0.0), score or 0.0)
    steps = []
    for number, item in enumerate(attempt_items(invitation), start=1):
        if item.exercise is not None:
            kind = "exercise"
            if item.exercise_id in best:
                hidden = not invitation.assessment.show_hidden_results
                score = best[item.exercise_id]
                state = "submitted" if hidden else "accepted" if score >= 100 else "partial"
            else:
                state = "draft" if item.id in drafts else "todo"
        else:
            pinned = item.pinned_question_version
            kind = pinned.kind if pinned else "?"
            state = "answered" if item.id in answered else "todo"
        steps.append(Step(item=item, number=number, title=_title(item), kind=kind, state=state))
    return steps


def draft_get(invitation: Invitation, item: AssessmentItem) -> Draft | None:
    return Draft.objects.filter(invitation=invitation, item=item).first()


def answer_get(invitation: Invitation, item: AssessmentItem) -> Answer | None:
    return Answer.objects.filter(invitation=invitation, item=item).first()
