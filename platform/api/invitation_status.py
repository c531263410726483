"""An invitation as the API and the webhooks show it: its status as of now, and its JSON.

The API's status adds "graded" to the stored ones and reads the clock, without writing:
- "expired": the link's expiry passed before a start (stored EXPIRED, or INVITED past it);
- "submitted": finished (stored SUBMITTED, or STARTED past the deadline) while some
  hidden-suite submission of the candidate is still QUEUED or RUNNING;
- "graded": finished, and none is;
- otherwise the stored status ("invited", "started", "revoked").

`invitation_json` is the one Invitation shape: API responses and webhook payloads
(`invitation.*` events) both use it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from api.signed_report import report_url
from api.times import iso_utc
from assessments.models import Invitation
from submissions.models import Submission

Stored = Invitation.Status


class ApiStatus(enum.StrEnum):
    INVITED = "invited"
    STARTED = "started"
    SUBMITTED = "submitted"
    GRADED = "graded"
    EXPIRED = "expired"
    REVOKED = "revoked"


PENDING = (Submission.Status.QUEUED, Submission.Status.RUNNING)


def _pending_hidden_submissions() -> Exists:
    """Whether the invitation's candidate has a hidden-suite submission still to grade."""
    return Exists(
        Submission.objects.filter(
            owner_id=OuterRef("candidate_id"), suite=Submission.Suite.HIDDEN, status__in=PENDING
        )
    )


def with_grading_state(invitations: QuerySet[Invitation]) -> QuerySet[Invitation]:
    """`invitations` annotated with `grading_pending` (one query for a whole page)."""
    return invitations.annotate(grading_pending=_pending_hidden_submissions())


def _finished(now: datetime) -> Q:
    return Q(status=Stored.SUBMITTED) | Q(status=Stored.STARTED, deadline__lte=now)


def status_filter(status: ApiStatus, now: datetime) -> Q:
    """The invitations (annotated by `with_grading_state`) whose API status is `status` now."""
    return {
        ApiStatus.INVITED: Q(status=Stored.INVITED, expires_at__gt=now),
        ApiStatus.STARTED: Q(status=Stored.STARTED)
        & (Q(deadline__isnull=True) | Q(deadline__gt=now)),
        ApiStatus.SUBMITTED: _finished(now) & Q(grading_pending=True),
        ApiStatus.GRADED: _finished(now) & Q(grading_pending=False),
        ApiStatus.EXPIRED: Q(status=Stored.EXPIRED) | Q(status=Stored.INVITED, expires_at__lte=now),
        ApiStatus.REVOKED: Q(status=Stored.REVOKED),
    }[status]


def _grading_pending(invitation: Invitation) -> bool:
    annotated = getattr(invitation, "grading_pending", None)
    if annotated is not None:
        return bool(annotated)
    return Submission.objects.filter(
        owner_id=invitation.candidate_id, suite=Submission.Suite.HIDDEN, status__in=PENDING
    ).exists()


def invitation_status(invitation: Invitation, now: datetime | None = None) -> ApiStatus:
    """The API status of `invitation` as of `now` (see the module's docstring)."""
    now = now or timezone.now()
    if invitation.link_expired(now):
        return ApiStatus.EXPIRED
    finished = invitation.status == Stored.SUBMITTED or (
        invitation.status == Stored.STARTED and invitation.time_is_up(now)
    )
    if finished:
        return ApiStatus.SUBMITTED if _grading_pending(invitation) else ApiStatus.GRADED
    return ApiStatus(invitation.status)


def public_base_url() -> str:
    """This site's address for links made outside a request (webhooks): the PUBLIC_BASE_URL
    setting (TJ_PUBLIC_URL); empty means links are paths."""
    return str(getattr(settings, "PUBLIC_BASE_URL", "") or "")


def invitation_json(
    invitation: Invitation, *, base_url: str | None = None, now: datetime | None = None
) -> dict[str, Any]:
    """The Invitation of the API contract, as plain JSON-ready data. `report_url` (a signed link
    to the human report page) is null until the candidate has started; its address starts with
    `base_url` (default: `public_base_url()`)."""
    if base_url is None:
        base_url = public_base_url()
    link = (
        report_url(invitation.id, base_url=base_url) if invitation.started_at is not None else None
    )
    return {
        "id": str(invitation.id),
        "assessment_id": invitation.assessment_id,
        "candidate_name": invitation.candidate_name,
        "candidate_email": invitation.candidate_email,
        "external_id": invitation.external_id or None,
        "callback_url": invitation.callback_url or None,
        "status": str(invitation_status(invitation, now)),
        "extra_minutes": invitation.extra_minutes,
        "created_at": iso_utc(invitation.created_at),
        "expires_at": iso_utc(invitation.expires_at),
        "started_at": iso_utc(invitation.started_at),
        "deadline": iso_utc(invitation.deadline),
        "finished_at": iso_utc(invitation.finished_at),
        "report_url": link,
    }
