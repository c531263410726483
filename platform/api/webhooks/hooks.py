"""What the assessment and grading services call when an invitation or a submission changes:
each call emits its event after the caller's transaction commits, and never breaks the caller
(a failure is logged; the change itself stands).

invitation_event(invitation_id, event_type)
    invitation.started / .submitted / .expired (.submitted also checks whether the attempt is
    graded already)
submission_finished(submission_id)
    submission.graded, then invitation.graded when the candidate's attempt is submitted and
    nothing is pending
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)


def _safely(emit: Callable[..., None], **kwargs: Any) -> None:
    try:
        emit(**kwargs)
    except Exception:  # the caller's change is committed: an event lost is logged, not raised
        log.exception("webhook event not emitted: %s %s", emit.__name__, kwargs)


def invitation_event(*, invitation_id: object, event_type: str) -> None:
    """Emit `event_type` with the invitation as it is once the caller's transaction commits."""
    from api.webhooks import emitting  # it imports the API's serialization: keep callers light

    transaction.on_commit(
        partial(
            _safely,
            emitting.invitation_event_emit,
            invitation_id=invitation_id,
            event_type=event_type,
        )
    )


def submission_finished(*, submission_id: object) -> None:
    """Emit what a finished (graded or failed) submission means, after the commit."""
    from api.webhooks import emitting

    transaction.on_commit(
        partial(_safely, emitting.submission_events_emit, submission_id=submission_id)
    )
