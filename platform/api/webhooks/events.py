"""The events a webhook endpoint can subscribe to (and the registration ping)."""

from __future__ import annotations

from django.db import models


class EventType(models.TextChoices):
    INVITATION_STARTED = "invitation.started"
    INVITATION_SUBMITTED = "invitation.submitted"
    INVITATION_GRADED = "invitation.graded"
    INVITATION_EXPIRED = "invitation.expired"
    SUBMISSION_GRADED = "submission.graded"


PING = "ping"  # sent once at registration; never subscribed to
