"""Writes of the interviewer's side: build an assessment, invite its candidates."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accounts.models import Organization
from assessments.models import Assessment, AssessmentItem, Invitation, token_hash
from bank.models import Exercise, Question

INVITATION_VALID_DAYS = 14

Step = Exercise | Question | tuple[Exercise | Question, int]  # a step, or (step, weight)


def _item(assessment: Assessment, position: int, step: Step) -> AssessmentItem:
    """A step of `assessment`, pinned to the current version of its exercise or question."""
    entry, weight = step if isinstance(step, tuple) else (step, 1)
    if entry.current_version_id is None or not entry.is_active:
        raise ValueError(f"{entry.slug} has no published version open to candidates")
    if weight < 1:
        raise ValueError(f"the weight of {entry.slug} must be at least 1")
    if isinstance(entry, Exercise):
        return AssessmentItem(
            assessment=assessment,
            position=position,
            exercise=entry,
            exercise_version_id=entry.current_version_id,
            weight=weight,
        )
    return AssessmentItem(
        assessment=assessment,
        position=position,
        question=entry,
        question_version_id=entry.current_version_id,
        weight=weight,
    )


@transaction.atomic
def assessment_create(
    *,
    title: str,
    duration_minutes: int,
    steps: Sequence[Step],
    organization: Organization | None = None,
    created_by: AbstractBaseUser | None = None,
    intro: str = "",
    show_hidden_results: bool = True,
    max_submissions: int | None = None,
) -> Assessment:
    """Create an assessment whose steps are the given exercises and questions, in order, each
    pinned to its current version (a later publish does not change it) with its weight (1
    unless given as `(step, weight)`)."""
    if duration_minutes < 1:
        raise ValueError("an assessment lasts at least one minute")
    assessment = Assessment.objects.create(
        organization=organization,
        created_by=created_by,
        title=title,
        intro=intro,
        duration_minutes=duration_minutes,
        show_hidden_results=show_hidden_results,
        max_submissions=max_submissions,
    )
    AssessmentItem.objects.bulk_create(
        _item(assessment, position, step) for position, step in enumerate(steps, start=1)
    )
    return assessment


@transaction.atomic
def invitation_create(
    *,
    assessment: Assessment,
    candidate_name: str,
    candidate_email: str,
    expires_at: datetime | None = None,
    extra_minutes: int = 0,
    invited_by: AbstractBaseUser | None = None,
) -> tuple[Invitation, str]:
    """Invite a candidate; return the invitation and its token, which is shown this once (only
    its hash is stored). Creates the account that will own the candidate's submissions."""
    token = secrets.token_urlsafe(32)  # 256 bits
    candidate = get_user_model().objects.create(username=f"candidate-{secrets.token_hex(8)}")
    candidate.set_unusable_password()
    candidate.save(update_fields=["password"])
    invitation = Invitation.objects.create(
        assessment=assessment,
        candidate_name=candidate_name,
        candidate_email=candidate_email,
        candidate=candidate,
        token_hash=token_hash(token),
        expires_at=expires_at or timezone.now() + timedelta(days=INVITATION_VALID_DAYS),
        extra_minutes=extra_minutes,
        invited_by=invited_by,
    )
    return invitation, token
