"""The events of invitations and submissions, read fresh from the database after the change
that caused them was committed (api.webhooks.hooks schedules these)."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Organization
from api.invitation_status import ApiStatus, invitation_status
from api.models import WebhookEvent
from api.webhooks.events import EventType
from api.webhooks.payloads import invitation_data, submission_data
from api.webhooks.services import event_emit
from assessments.models import Invitation
from submissions.models import Submission


def _invitation(invitation_id: object) -> Invitation | None:
    return (
        Invitation.objects.select_related("assessment__organization")
        .filter(id=invitation_id)
        .first()
    )


def invitation_event_emit(*, invitation_id: object, event_type: str) -> None:
    """Emit `event_type` for the invitation (nothing for one outside any organization); a submitted
    attempt with nothing left to grade is graded at once too."""
    invitation = _invitation(invitation_id)
    if invitation is None or invitation.assessment.organization is None:
        return
    organization = invitation.assessment.organization
    event_emit(
        organization=organization,
        type=event_type,
        data=invitation_data(invitation),
        invitation=invitation,
    )
    if event_type == EventType.INVITATION_SUBMITTED:
        invitation_graded_emit(invitation=invitation, organization=organization)


def submission_events_emit(*, submission_id: object) -> None:
    """submission.graded for a graded submission of an invitation's candidate; then, for the
    hidden suite, invitation.graded if that was the last one the attempt waited for."""
    submission = (
        Submission.objects.select_related("exercise_version__exercise")
        .filter(id=submission_id)
        .first()
    )
    if submission is None:
        return
    invitation = (
        Invitation.objects.select_related("assessment__organization")
        .filter(candidate_id=submission.owner_id)
        .first()
    )
    if invitation is None or invitation.assessment.organization is None:
        return  # not a candidate's (an API key's, a member's): no hiring event
    organization = invitation.assessment.organization
    if submission.status == Submission.Status.GRADED:
        event_emit(
            organization=organization,
            type=EventType.SUBMISSION_GRADED,
            data=submission_data(submission, invitation),
            invitation=invitation,
        )
    if submission.suite == Submission.Suite.HIDDEN:
        invitation_graded_emit(invitation=invitation, organization=organization)


@transaction.atomic
def invitation_graded_emit(*, invitation: Invitation, organization: Organization) -> None:
    """invitation.graded, once per invitation: when it is submitted and none of the
    candidate's hidden-suite submissions is queued or running."""
    # Locked like event_emit: the last two gradings finishing at once emit it once.
    list(Organization.objects.select_for_update().filter(id=organization.id).values_list("id"))
    invitation.refresh_from_db()
    # Stored SUBMITTED too: never graded before its invitation.submitted went out.
    if invitation.status != Invitation.Status.SUBMITTED:
        return
    if invitation_status(invitation) != ApiStatus.GRADED:
        return
    already = WebhookEvent.objects.filter(
        organization=organization,
        type=EventType.INVITATION_GRADED,
        created_at__gte=invitation.created_at,
        payload__id=str(invitation.id),
    ).exists()
    if not already:
        event_emit(
            organization=organization,
            type=EventType.INVITATION_GRADED,
            data=invitation_data(invitation),
            invitation=invitation,
        )
