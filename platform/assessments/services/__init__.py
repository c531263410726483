"""Writes of the assessments app: `attempts` (the candidate's side) and `building` (the
interviewer's side). Import from here."""

from assessments.services.attempts import (
    AttemptClosed,
    AttemptError,
    CodeTooLarge,
    RateLimited,
    SubmissionLimitReached,
    answer_save,
    attempt_finish,
    attempt_start,
    attempt_submit,
    closed_reason,
    draft_save,
    invitation_settle,
)
from assessments.services.building import (
    INVITATION_VALID_DAYS,
    assessment_create,
    invitation_create,
)

__all__ = [
    "INVITATION_VALID_DAYS",
    "AttemptClosed",
    "AttemptError",
    "CodeTooLarge",
    "RateLimited",
    "SubmissionLimitReached",
    "answer_save",
    "assessment_create",
    "attempt_finish",
    "attempt_start",
    "attempt_submit",
    "closed_reason",
    "draft_save",
    "invitation_create",
    "invitation_settle",
]
