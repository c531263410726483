"""Writes of the reviewer's side: grading short answers against their rubric."""

from __future__ import annotations

import math

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.selectors import membership_of
from assessments.models import Answer, Invitation
from assessments.services.attempts import invitation_settle
from bank.question_files import CHOICE_KINDS

MAX_COMMENT_CHARS = 5_000


class GradingError(ValueError):
    """A grade that cannot be given; the message says why, for the reviewer."""


@transaction.atomic
def answer_grade(
    *, answer: Answer, actor: AbstractBaseUser, points: float, comment: str = ""
) -> Answer:
    """Give a short answer its points (0 to the version's points) and a comment.

    Any member of the assessment's organization may grade (reviewers, authors, owners), once
    the candidate has finished: an answer still being written could change under its grade.
    Grading again replaces the grade. Records "answer.grade" in the audit trail."""
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("question_version", "invitation__assessment", "item__question")
        .get(pk=answer.pk)
    )
    organization = answer.invitation.assessment.organization
    membership = membership_of(actor)
    if organization is None or membership is None or membership.organization != organization:
        raise GradingError("Only members of the assessment's organization can grade it.")
    version = answer.question_version
    if version.kind in CHOICE_KINDS:
        raise GradingError("Choice questions score themselves; only short answers are graded.")
    invitation = invitation_settle(invitation=answer.invitation)
    if invitation.status != Invitation.Status.SUBMITTED:
        raise GradingError(
            "The candidate has not finished: grade the answer once the attempt is over."
        )
    if not math.isfinite(points) or not 0 <= points <= version.points:
        raise GradingError(f"Points must be between 0 and {version.points}, got {points:g}.")
    if len(comment) > MAX_COMMENT_CHARS:
        raise GradingError(
            f"The comment is {len(comment)} characters; the limit is {MAX_COMMENT_CHARS}."
        )
    previous = answer.awarded_points
    answer.awarded_points = points
    answer.reviewer_comment = comment
    answer.graded_by = actor  # type: ignore[assignment]
    answer.graded_at = timezone.now()
    answer.save(update_fields=["awarded_points", "reviewer_comment", "graded_by", "graded_at"])
    audit_record(
        organization=organization,
        actor=actor,
        action="answer.grade",
        target=invitation,
        detail={
            "step": answer.item.position,
            "question": answer.item.question.slug if answer.item.question else "",
            "points": points,
            "previous_points": previous,
        },
    )
    return answer
