"""What the Greenhouse partner endpoints (api.greenhouse) do: the tests a key may send, sending
one (through the REST API's invitation service), and an invitation as Greenhouse reads it."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse

from accounts.models import Organization
from api.invitation_services import InvitationRequest, api_invitations_create
from api.invitation_status import ApiStatus, invitation_json
from api.reports import invitation_report
from assessments.models import Assessment, Invitation

# Greenhouse polls until "complete"; the other values are shown to its users as they are.
PARTNER_STATUS = {
    ApiStatus.INVITED: "not_started",
    ApiStatus.STARTED: "in_progress",
    ApiStatus.SUBMITTED: "grading",
    ApiStatus.GRADED: "complete",
    ApiStatus.EXPIRED: "expired",
    ApiStatus.REVOKED: "revoked",
}
UNFINISHED = (Invitation.Status.INVITED, Invitation.Status.STARTED)


def partner_tests(*, organization: Organization) -> QuerySet[Assessment]:
    """The assessments a test can be sent for: the organization's, with at least one step."""
    return (
        Assessment.objects.filter(organization=organization, items__isnull=False)
        .distinct()
        .order_by("-created_at", "-id")
    )


def partner_test_get(*, organization: Organization, partner_test_id: str) -> Assessment | None:
    """The assessment behind a `partner_test_id` of list_tests, or None (another
    organization's, one without steps, or not an id)."""
    raw = partner_test_id.strip()
    # ASCII digits only, and few: int() takes "٣" and the database no 30-digit integer.
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 18):
        return None
    return partner_tests(organization=organization).filter(id=int(raw)).first()


def _external_id(candidate: dict[str, Any], application: dict[str, Any] | None) -> str:
    """The ATS's id of this application: its profile URL, else its application id."""
    if candidate.get("greenhouse_profile_url"):
        return str(candidate["greenhouse_profile_url"])
    if application and application.get("id") is not None:
        return f"greenhouse-application-{application['id']}"
    return ""


def greenhouse_test_send(
    *,
    assessment: Assessment,
    actor: Any,
    candidate: dict[str, Any],
    application: dict[str, Any] | None,
    callback_url: str,
    base_url: str,
) -> Invitation:
    """Invite Greenhouse's candidate to `assessment` through the REST API's service (emailed
    link, audit trail, the same refusals); return the invitation. An unfinished invitation of
    the same application (same external id and email) is returned as it is instead: Greenhouse
    may send the same request twice. (Two copies at the same instant: the second gets the
    service's 409 already_invited, and the same id when it tries again.)"""
    external_id = _external_id(candidate, application)
    email = candidate["email"]
    if external_id:
        earlier = Invitation.objects.filter(
            assessment=assessment,
            external_id=external_id,
            candidate_email__iexact=email,
            status__in=UNFINISHED,
        ).first()
        if earlier is not None:
            return earlier
    name = f"{candidate['first_name']} {candidate.get('last_name') or ''}".strip()
    request = InvitationRequest(
        candidate_name=name,
        candidate_email=email,
        external_id=external_id,
        callback_url=callback_url,
    )
    (invited,) = api_invitations_create(
        assessment=assessment, actor=actor, requests=[request], base_url=base_url
    )
    return invited.invitation


def greenhouse_test_status(invitation: Invitation, *, base_url: str) -> dict[str, Any]:
    """Greenhouse's view of an invitation: the status, the signed report link (once started),
    the total score once graded, and a flat metadata object of primitives it displays."""
    shown = invitation_json(invitation, base_url=base_url)
    status = ApiStatus(shown["status"])
    answer: dict[str, Any] = {"partner_status": PARTNER_STATUS[status]}
    if shown["report_url"]:
        answer["partner_profile_url"] = shown["report_url"]
    metadata: dict[str, Any] = {
        "Assessment": invitation.assessment.title,
        "Status": status.value,
        "Invited At": shown["created_at"],
        "Started At": shown["started_at"],
        "Finished At": shown["finished_at"],
    }
    if status in (ApiStatus.SUBMITTED, ApiStatus.GRADED):
        report = invitation_report(invitation)
        if status is ApiStatus.GRADED:
            answer["partner_score"] = report["total"]
        metadata["Provisional Score"] = report["provisional"]
        if report["time_spent_s"] is not None:
            metadata["Time Spent (minutes)"] = round(report["time_spent_s"] / 60, 1)
        for step in report["steps"]:
            metadata[f"Step {step['position']}: {step['slug']}"] = step["score"]
        metadata["Report for members"] = base_url.rstrip("/") + reverse(
            "interviewer:candidate-report", args=[invitation.id]
        )
    answer["metadata"] = {name: value for name, value in metadata.items() if value is not None}
    return answer
