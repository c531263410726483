"""What an event carries: the envelope every delivery posts, and the `data` of each type.

invitation.* events carry the API's Invitation (api.invitation_status.invitation_json, the same
object GET /api/v1/invitations/{id} returns); submission.graded carries a short summary."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from api.invitation_status import invitation_json
from api.times import iso_utc
from assessments.models import Invitation
from submissions.models import Submission


def invitation_data(invitation: Invitation) -> dict[str, Any]:
    """The Invitation object of the API, as of now."""
    return invitation_json(invitation)


def submission_data(submission: Submission, invitation: Invitation) -> dict[str, Any]:
    """The data of submission.graded."""
    return {
        "submission_id": str(submission.id),
        "invitation_id": str(invitation.id),
        "exercise": submission.exercise_version.exercise.slug,
        "verdict": submission.verdict or None,
        "score": submission.score,
        "suite": submission.suite,
    }


def envelope(*, event_id: str, event_type: str, created_at: datetime, data: Any) -> bytes:
    """The body of a delivery: {"id", "type", "created_at", "data"}, the same bytes at every
    attempt of the event."""
    body = {"id": event_id, "type": event_type, "created_at": iso_utc(created_at), "data": data}
    return json.dumps(body, separators=(",", ":")).encode("utf-8")
