"""Writes of the interviewer's side on invitations: invite (by email), resend, revoke, extend,
grant extra time.

Status changes are guarded UPDATEs (a candidate may start or finish at the same moment); each
change is recorded in the audit trail. A candidate's link holds a secret token: it goes into
the email and back to the caller once, and is never stored (only its hash is).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.audit import audit_record
from assessments.models import Assessment, Invitation, token_hash
from assessments.services.attempts import invitation_settle
from assessments.services.building import (
    INVITATION_VALID_DAYS,
    MAX_EXTRA_MINUTES,
    AssessmentError,
    invitation_create,
)

logger = logging.getLogger(__name__)

Candidate = tuple[str, str, int]  # name, email, extra minutes
MAX_EXTEND_MINUTES = 30 * 24 * 60
ACTIVE = (Invitation.Status.INVITED, Invitation.Status.STARTED)


def _audit(
    invitation: Invitation, actor: AbstractBaseUser | None, action: str, **detail: object
) -> None:
    organization = invitation.assessment.organization
    if organization is not None:
        audit_record(
            organization=organization,
            actor=actor,
            action=action,
            target=invitation,
            detail={"assessment": invitation.assessment_id, **detail},
        )


def _check_candidates(assessment: Assessment, candidates: Sequence[Candidate]) -> None:
    if not candidates:
        raise AssessmentError("No candidate to invite.")
    if not assessment.items.exists():
        raise AssessmentError("This assessment has no steps yet: add exercises or questions first.")
    seen: set[str] = set()
    for name, email, extra_minutes in candidates:
        if not name.strip():
            raise AssessmentError(f"The candidate <{email}> needs a name.")
        try:
            validate_email(email)
        except ValidationError:
            raise AssessmentError(f"{email!r} is not a valid email address.") from None
        if email.lower() in seen:
            raise AssessmentError(f"{email} is listed twice.")
        seen.add(email.lower())
        if not 0 <= extra_minutes <= MAX_EXTRA_MINUTES:
            raise AssessmentError(
                f"The extra time of {email} must be from 0 to {MAX_EXTRA_MINUTES} minutes."
            )
    taken = sorted(
        email
        for email in Invitation.objects.filter(
            assessment=assessment, status__in=ACTIVE
        ).values_list("candidate_email", flat=True)
        if email.lower() in seen
    )
    if taken:
        raise AssessmentError(
            f"Already invited to this assessment and not finished: {', '.join(taken)}. "
            "Resend their invitation instead, or revoke it first."
        )


@transaction.atomic
def _invitations_store(
    *,
    assessment: Assessment,
    actor: AbstractBaseUser | None,
    candidates: Sequence[Candidate],
    expires_at: datetime,
) -> list[tuple[Invitation, str]]:
    # The assessment row is locked so that two interviewers inviting the same email at once
    # are checked one after the other.
    list(Assessment.objects.select_for_update().filter(pk=assessment.pk).values_list("pk"))
    _check_candidates(assessment, candidates)
    created = []
    for name, email, extra_minutes in candidates:
        invitation, token = invitation_create(
            assessment=assessment,
            candidate_name=name,
            candidate_email=email,
            expires_at=expires_at,
            extra_minutes=extra_minutes,
            invited_by=actor,
        )
        _audit(invitation, actor, "invitation.create", extra_minutes=extra_minutes)
        created.append((invitation, token))
    return created


def invitations_create(
    *,
    assessment: Assessment,
    actor: AbstractBaseUser | None,
    candidates: Sequence[Candidate],
    expires_at: datetime,
    base_url: str,
) -> list[tuple[Invitation, str]]:
    """Invite each `(name, email, extra_minutes)` and email them their link
    (`base_url` + the candidate page's path); return the invitations with their tokens (shown
    once, never stored). All or none are created: an email already invited and not finished,
    an invalid address, a list with duplicates or an assessment without steps is refused.

    The emails go out after the invitations are committed (a link must never point at a
    rolled-back invitation: call it outside a transaction); one that cannot be sent leaves
    `last_sent_at` empty, and the caller shows the links so the interviewer can pass them on."""
    if expires_at <= timezone.now():
        raise AssessmentError("The expiry must be in the future.")
    candidates = [(name.strip(), email.strip(), extra) for name, email, extra in candidates]
    created = _invitations_store(
        assessment=assessment, actor=actor, candidates=candidates, expires_at=expires_at
    )
    for invitation, token in created:
        _send(invitation, token, base_url=base_url, actor=actor)
    return created


def candidate_link(base_url: str, token: str) -> str:
    """The candidate's link: this site's address and the page that opens `token`."""
    return base_url.rstrip("/") + reverse("candidate:open", args=[token])


def _send(
    invitation: Invitation, token: str, *, base_url: str, actor: AbstractBaseUser | None
) -> bool:
    """Email the candidate their link; on success set `last_sent_at`. Never raises: a mail
    server that is down must not undo an invitation."""
    assessment = invitation.assessment
    context = {
        "invitation": invitation,
        "assessment": assessment,
        "organization": assessment.organization,
        "link": candidate_link(base_url, token),
        "minutes": assessment.duration_minutes + invitation.extra_minutes,
    }
    subject = render_to_string("interviewer/email/invitation_subject.txt", context)
    # Replies reach the interviewer who sent it, not the no-reply sender.
    actor_email = str(getattr(actor, "email", "") or "")
    reply_to = [actor_email] if actor_email else []
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("interviewer/email/invitation_body.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.candidate_email],
        reply_to=reply_to,
    )
    try:
        message.send()
    except (SMTPException, OSError):
        logger.exception("could not send the invitation email of %s", invitation.id)
        return False
    invitation.last_sent_at = timezone.now()
    Invitation.objects.filter(id=invitation.id).update(last_sent_at=invitation.last_sent_at)
    return True


def invitation_resend(
    *, invitation: Invitation, actor: AbstractBaseUser | None, base_url: str
) -> tuple[Invitation, str]:
    """Send a not-yet-started invitation again with a new link: the token is rotated (the old
    link stops working) and an expiry already past moves to now + INVITATION_VALID_DAYS (an
    EXPIRED invitation opens again). Returns the invitation and its new token (shown once).
    Recorded as "invitation.resend"."""
    token = secrets.token_urlsafe(32)
    invitation = invitation_settle(invitation=invitation)
    with transaction.atomic():
        now = timezone.now()
        expires_at = invitation.expires_at
        if expires_at <= now:
            expires_at = now + timedelta(days=INVITATION_VALID_DAYS)
        updated = Invitation.objects.filter(
            id=invitation.id, status__in=(Invitation.Status.INVITED, Invitation.Status.EXPIRED)
        ).update(
            status=Invitation.Status.INVITED, token_hash=token_hash(token), expires_at=expires_at
        )
        if not updated:
            raise AssessmentError(
                f"{_where(invitation)}: only an invitation not yet started gets a new link."
            )
        invitation.refresh_from_db()
        _audit(invitation, actor, "invitation.resend", expires_at=expires_at.isoformat())
    _send(invitation, token, base_url=base_url, actor=actor)
    return invitation, token


def invitation_revoke(*, invitation: Invitation, actor: AbstractBaseUser | None) -> Invitation:
    """Withdraw an invitation that is not finished: its link opens nothing more and a started
    attempt takes no more work (what was submitted is kept). Recorded as "invitation.revoke"."""
    # Settled outside the transaction: the settle holds even when the change is refused.
    invitation = invitation_settle(invitation=invitation)
    with transaction.atomic():
        who = str(getattr(actor, "email", "") or "an interviewer")
        updated = Invitation.objects.filter(id=invitation.id, status__in=ACTIVE).update(
            status=Invitation.Status.REVOKED,
            finished_at=timezone.now(),
            finish_reason=f"revoked by {who}",
        )
        if not updated:
            raise AssessmentError(f"{_where(invitation)}: there is nothing to revoke.")
        previous = invitation.status
        invitation.refresh_from_db()
        _audit(invitation, actor, "invitation.revoke", status_before=previous)
        return invitation


def invitation_extend(
    *, invitation: Invitation, actor: AbstractBaseUser | None, minutes: int
) -> Invitation:
    """Give a candidate `minutes` more: before the start, the link's expiry moves (from now if
    it was past; an EXPIRED invitation opens again); during the attempt, the deadline moves.
    A finished attempt cannot be reopened: invite the candidate again. Recorded as
    "invitation.extend" with the minutes and the new time."""
    if not 1 <= minutes <= MAX_EXTEND_MINUTES:
        raise AssessmentError(f"Extend by 1 to {MAX_EXTEND_MINUTES} minutes, not {minutes}.")
    # Settled outside the transaction: the settle holds even when the change is refused.
    invitation = invitation_settle(invitation=invitation)
    with transaction.atomic():
        now = timezone.now()
        more = timedelta(minutes=minutes)
        status = invitation.status
        if status in (Invitation.Status.INVITED, Invitation.Status.EXPIRED):
            expires_at = max(now, invitation.expires_at) + more
            updated = Invitation.objects.filter(
                id=invitation.id, status__in=(Invitation.Status.INVITED, Invitation.Status.EXPIRED)
            ).update(status=Invitation.Status.INVITED, expires_at=expires_at)
            field = "expires_at"
        elif status == Invitation.Status.STARTED:
            # deadline__gt: a deadline that passed since the settle above is not reopened.
            updated = Invitation.objects.filter(
                id=invitation.id, status=Invitation.Status.STARTED, deadline__gt=now
            ).update(deadline=F("deadline") + more)
            field = "deadline"
        else:
            updated = 0
        if not updated:
            raise AssessmentError(_why_not_extended(invitation))
        invitation.refresh_from_db()
        _audit(
            invitation,
            actor,
            "invitation.extend",
            minutes=minutes,
            status_before=status,
            **{field: getattr(invitation, field).isoformat()},
        )
        return invitation


def _where(invitation: Invitation) -> str:
    """Where the invitation stands, as the start of a sentence for the interviewer."""
    name = invitation.candidate_name
    return {
        Invitation.Status.INVITED: f"{name} has not started",
        Invitation.Status.STARTED: f"{name} has started",
        Invitation.Status.SUBMITTED: f"{name} has finished",
        Invitation.Status.EXPIRED: f"The invitation of {name} has expired",
        Invitation.Status.REVOKED: f"The invitation of {name} was revoked",
    }[Invitation.Status(invitation.status)]


def _why_not_extended(invitation: Invitation) -> str:
    name = invitation.candidate_name
    if invitation.status == Invitation.Status.REVOKED:
        return f"The invitation of {name} was revoked: invite them again."
    if (
        invitation.finish_reason == "the time ran out"
        or invitation.status == Invitation.Status.STARTED
    ):
        return f"The time of {name} has run out and the attempt is closed: invite them again."
    return f"{name} has finished the assessment: invite them again to give a new attempt."


def invitation_set_extra_time(
    *, invitation: Invitation, actor: AbstractBaseUser | None, extra_minutes: int
) -> Invitation:
    """Set a candidate's extra time (an accommodation added to the duration when they start).
    Only before the start: afterwards Extend moves the deadline. Recorded as
    "invitation.extra_time" with the old and new minutes."""
    if not 0 <= extra_minutes <= MAX_EXTRA_MINUTES:
        raise AssessmentError(
            f"Extra time is 0 to {MAX_EXTRA_MINUTES} minutes, not {extra_minutes}."
        )
    # Settled outside the transaction: the settle holds even when the change is refused.
    invitation = invitation_settle(invitation=invitation)
    with transaction.atomic():
        before = invitation.extra_minutes
        updated = Invitation.objects.filter(
            id=invitation.id, status=Invitation.Status.INVITED
        ).update(extra_minutes=extra_minutes)
        if not updated:
            raise AssessmentError(
                f"{_where(invitation)}: extra time is set before the start "
                "(Extend moves a running deadline)."
            )
        invitation.refresh_from_db()
        _audit(invitation, actor, "invitation.extra_time", before=before, after=extra_minutes)
        return invitation
