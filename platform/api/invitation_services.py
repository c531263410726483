"""Writes behind the API's invitation endpoints: invite one candidate or a batch (all or none),
revoke, extend. They go through assessments.services (the interviewer's rules, emails and
audit trail) and turn its refusals into API errors with stable codes:

- 400 validation_error: an entry that cannot be right (a batch names its index);
- 409 already_invited: the email holds an unfinished invitation to the assessment;
- 409 assessment_has_no_steps, invitation_not_revocable, invitation_not_extendable;
- 409 invitation_conflict: another change won a race (try again).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError

from api.selectors import active_invitation_emails
from assessments.models import Assessment, Invitation
from assessments.services import (
    INVITATION_VALID_DAYS,
    AssessmentError,
    candidate_link,
    invitation_extend,
    invitation_revoke,
    invitations_create,
)


class Conflict(APIException):
    """409: the request is well formed but the invitation's state refuses it."""

    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = "the request conflicts with the current state"


@dataclass(frozen=True)
class InvitationRequest:
    """One candidate to invite, as the API takes it (already checked field by field)."""

    candidate_name: str
    candidate_email: str
    external_id: str = ""
    callback_url: str = ""
    expires_at: datetime | None = None
    extra_minutes: int = 0


@dataclass(frozen=True)
class Invited:
    invitation: Invitation
    invitation_url: str  # the candidate's link, with its token: shown this once


def _field(index: int | None, name: str) -> str:
    """How an entry's field is named in errors (as api.errors names DRF's own)."""
    return name if index is None else f"invitations.{index}.{name}"


def _invalid(index: int | None, name: str, message: str) -> ValidationError:
    if index is None:
        return ValidationError({name: [message]})
    return ValidationError({"invitations": {index: {name: [message]}}})


def _shared_expiry(requests: Sequence[InvitationRequest], batch: bool) -> datetime:
    """The one expiry of the batch: assessments.services invites a batch with one expiry (the
    one its emails state), so entries that give one must agree."""
    given = [(index, r.expires_at) for index, r in enumerate(requests)]
    first = given[0][1]
    for index, expires_at in given[1:]:
        if expires_at != first:
            raise _invalid(
                index,
                "expires_at",
                "every invitation of a batch has the same expires_at (or none gives one); "
                "send one batch per expiry",
            )
    expires_at = first or timezone.now() + timedelta(days=INVITATION_VALID_DAYS)
    if expires_at <= timezone.now():
        raise _invalid(0 if batch else None, "expires_at", "must be in the future")
    return expires_at


def _check_entries(
    assessment: Assessment, requests: Sequence[InvitationRequest], batch: bool
) -> None:
    """Refuse, naming the entry, what assessments.services would refuse for the whole batch."""
    seen: dict[str, int] = {}
    for index, request in enumerate(requests):
        email = request.candidate_email.lower()
        if email in seen:
            raise _invalid(index, "candidate_email", f"listed twice (also at index {seen[email]})")
        seen[email] = index
    if not assessment.items.exists():
        raise Conflict(
            "this assessment has no steps yet: add exercises or questions first",
            code="assessment_has_no_steps",
        )
    taken = active_invitation_emails(
        assessment=assessment, emails=[r.candidate_email for r in requests]
    )
    for index, request in enumerate(requests):
        if request.candidate_email.lower() in taken:
            raise Conflict(
                f"{_field(index if batch else None, 'candidate_email')}: "
                f"{request.candidate_email} already holds an unfinished invitation to this "
                "assessment (revoke it first to invite them again)",
                code="already_invited",
            )


def api_invitations_create(
    *,
    assessment: Assessment,
    actor: AbstractBaseUser,
    requests: Sequence[InvitationRequest],
    base_url: str,
    batch: bool = False,
) -> list[Invited]:
    """Invite every candidate of `requests` to `assessment`, or none: one bad entry refuses all
    (400 or 409, naming its index in a batch). Each candidate is emailed their link by
    assessments.services.invitations_create, then the hiring system's `external_id` and
    `callback_url` are stored on the invitation. Returns the invitations with their links."""
    expires_at = _shared_expiry(requests, batch)
    _check_entries(assessment, requests, batch)
    try:
        created = invitations_create(
            assessment=assessment,
            actor=actor,
            candidates=[(r.candidate_name, r.candidate_email, r.extra_minutes) for r in requests],
            expires_at=expires_at,
            base_url=base_url,
        )
    except AssessmentError as exc:  # a concurrent invitation of the same email won
        raise Conflict(str(exc), code="invitation_conflict") from exc
    with transaction.atomic():
        for (invitation, _), request in zip(created, requests, strict=True):
            if request.external_id or request.callback_url:
                invitation.external_id = request.external_id
                invitation.callback_url = request.callback_url
                invitation.save(update_fields=["external_id", "callback_url"])
    return [Invited(invitation, candidate_link(base_url, token)) for invitation, token in created]


def api_invitation_revoke(*, invitation: Invitation, actor: AbstractBaseUser) -> Invitation:
    """Revoke through assessments.services; a finished or revoked invitation is a 409."""
    try:
        return invitation_revoke(invitation=invitation, actor=actor)
    except AssessmentError as exc:
        raise Conflict(str(exc), code="invitation_not_revocable") from exc


def api_invitation_extend(
    *, invitation: Invitation, actor: AbstractBaseUser, minutes: int
) -> Invitation:
    """Extend through assessments.services (the link's expiry before the start, the deadline
    during the attempt); a finished or revoked invitation is a 409."""
    try:
        return invitation_extend(invitation=invitation, actor=actor, minutes=minutes)
    except AssessmentError as exc:
        raise Conflict(str(exc), code="invitation_not_extendable") from exc
