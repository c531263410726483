"""Writes of the interviewer's side: build an assessment and change it until candidates start.

Errors an interviewer can fix are `AssessmentError`s (a ValueError) whose message is written
for them. Every change made by a member is recorded in the audit trail."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import Organization
from assessments.models import Assessment, AssessmentItem, Invitation, token_hash
from bank.models import Exercise, Question

INVITATION_VALID_DAYS = 14
MAX_DURATION_MINUTES = 24 * 60
MAX_EXTRA_MINUTES = 24 * 60

Step = Exercise | Question | tuple[Exercise | Question, int]  # a step, or (step, weight)


class AssessmentError(ValueError):
    """A change to an assessment or an invitation that cannot be made; the message says why,
    for the interviewer."""


def _step_label(entry: Exercise | Question) -> str:
    return f"{'exercise' if isinstance(entry, Exercise) else 'question'} {entry.slug}"


def _item(assessment: Assessment, position: int, step: Step) -> AssessmentItem:
    """A step of `assessment`, pinned to the current version of its exercise or question."""
    entry, weight = step if isinstance(step, tuple) else (step, 1)
    # The shared bank (no organization) is everyone's; an organization's own entries are its
    # alone (bank.selectors.visible_to).
    if entry.organization_id not in (None, assessment.organization_id):
        raise AssessmentError(f"The {_step_label(entry)} is not in your bank.")
    if entry.current_version_id is None or not entry.is_active:
        raise AssessmentError(f"The {_step_label(entry)} has no published version to use.")
    if weight < 1:
        raise AssessmentError(f"The weight of the {_step_label(entry)} must be at least 1.")
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


def _add_steps(assessment: Assessment, steps: Sequence[Step]) -> list[AssessmentItem]:
    seen: set[str] = set()
    for step in steps:
        label = _step_label(step[0] if isinstance(step, tuple) else step)
        # Submissions are counted per exercise: the same exercise twice would share them.
        if label in seen:
            raise AssessmentError(f"The {label} is chosen twice; an assessment has it once.")
        seen.add(label)
    return AssessmentItem.objects.bulk_create(
        _item(assessment, position, step) for position, step in enumerate(steps, start=1)
    )


def _steps_detail(items: Sequence[AssessmentItem]) -> list[dict[str, Any]]:
    """The steps as the audit trail keeps them: what, which version, which weight."""
    detail = []
    for item in items:
        if item.exercise is not None:
            kind, slug, version = "exercise", item.exercise.slug, item.pinned_exercise_version
        else:
            assert item.question is not None
            kind, slug, version = "question", item.question.slug, item.pinned_question_version
        number = version.number if version is not None else None
        detail.append({"kind": kind, "slug": slug, "version": number, "weight": item.weight})
    return detail


def _check_settings(*, title: str, duration_minutes: int, max_submissions: int | None) -> None:
    if not title.strip():
        raise AssessmentError("An assessment needs a title.")
    if not 1 <= duration_minutes <= MAX_DURATION_MINUTES:
        raise AssessmentError(
            f"The duration must be from 1 to {MAX_DURATION_MINUTES} minutes, "
            f"not {duration_minutes}."
        )
    if max_submissions is not None and max_submissions < 1:
        raise AssessmentError("The submission limit must be at least 1 (or empty: no limit).")


def _audit(
    assessment: Assessment, actor: AbstractBaseUser | None, action: str, **detail: object
) -> None:
    """Record a change of an organization's assessment (the admin's, without one, is not)."""
    if assessment.organization is not None:
        audit_record(
            organization=assessment.organization,
            actor=actor,
            action=action,
            target=assessment,
            detail=detail,
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
    unless given as `(step, weight)`). Steps must be visible to `organization`. Recorded as
    "assessment.create" when the assessment belongs to an organization."""
    _check_settings(title=title, duration_minutes=duration_minutes, max_submissions=max_submissions)
    assessment = Assessment.objects.create(
        organization=organization,
        created_by=created_by,
        title=title.strip(),
        intro=intro,
        duration_minutes=duration_minutes,
        show_hidden_results=show_hidden_results,
        max_submissions=max_submissions,
    )
    items = _add_steps(assessment, steps)
    _audit(
        assessment,
        created_by,
        "assessment.create",
        steps=_steps_detail(items),
        duration_minutes=duration_minutes,
    )
    return assessment


def assessment_started(assessment: Assessment) -> bool:
    """Whether a candidate has started it (then its steps are fixed)."""
    return assessment.invitations.filter(started_at__isnull=False).exists()


@transaction.atomic
def assessment_update(
    *,
    assessment: Assessment,
    actor: AbstractBaseUser | None,
    title: str,
    intro: str,
    duration_minutes: int,
    show_hidden_results: bool,
    max_submissions: int | None,
) -> Assessment:
    """Change an assessment's settings. Once a candidate has started, the duration and the
    submission limit are fixed (every candidate gets the same assessment; Extend gives one
    candidate more time). Recorded as "assessment.update" with the changed fields."""
    _check_settings(title=title, duration_minutes=duration_minutes, max_submissions=max_submissions)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    new = {
        "title": title.strip(),
        "intro": intro,
        "duration_minutes": duration_minutes,
        "show_hidden_results": show_hidden_results,
        "max_submissions": max_submissions,
    }
    changed = {name: value for name, value in new.items() if getattr(assessment, name) != value}
    fixed = {"duration_minutes", "max_submissions"}.intersection(changed)
    if fixed and assessment_started(assessment):
        raise AssessmentError(
            "Candidates have started this assessment: its duration and submission limit are "
            "fixed now. Use Extend to give one candidate more time."
        )
    if not changed:
        return assessment
    for name, value in changed.items():
        setattr(assessment, name, value)
    assessment.save(update_fields=[*changed, "updated_at"])
    _audit(assessment, actor, "assessment.update", changed=sorted(changed))
    return assessment


@transaction.atomic
def assessment_set_steps(
    *, assessment: Assessment, actor: AbstractBaseUser | None, steps: Sequence[Step]
) -> list[AssessmentItem]:
    """Replace the steps of `assessment` by `steps` (in order, each `(entry, weight)` or an
    entry of weight 1), pinned to the current versions. Refused once any candidate has
    started: candidates must all get the same assessment. Recorded as "assessment.steps"."""
    if not steps:
        raise AssessmentError("Choose at least one exercise or question.")
    # Locking the invitations makes a concurrent start wait for this transaction (its guarded
    # UPDATE touches one of these rows): it then starts on the new steps, or it started
    # before and is seen here.
    started = [
        started_at
        for started_at in Invitation.objects.select_for_update()
        .filter(assessment=assessment)
        .values_list("started_at", flat=True)
        if started_at is not None
    ]
    if started:
        raise AssessmentError(
            f"{len(started)} candidate(s) have started this assessment: its steps are fixed "
            "now, so that every candidate gets the same assessment. Build a new assessment to "
            "change them."
        )
    AssessmentItem.objects.filter(assessment=assessment).delete()
    items = _add_steps(assessment, steps)
    _audit(assessment, actor, "assessment.steps", steps=_steps_detail(items))
    return items


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
    its hash is stored). Creates the account that will own the candidate's submissions.
    Sends nothing and records nothing: see `invitations_create` for the interviewer's way."""
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
