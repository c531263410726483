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
    MAX_EXTRA_MINUTES,
    AssessmentError,
    assessment_create,
    assessment_set_steps,
    assessment_started,
    assessment_update,
    invitation_create,
)
from assessments.services.grading import GradingError, answer_grade
from assessments.services.invitations import (
    candidate_link,
    invitation_extend,
    invitation_resend,
    invitation_revoke,
    invitation_set_extra_time,
    invitations_create,
)

__all__ = [
    "INVITATION_VALID_DAYS",
    "MAX_EXTRA_MINUTES",
    "AssessmentError",
    "AttemptClosed",
    "AttemptError",
    "CodeTooLarge",
    "GradingError",
    "RateLimited",
    "SubmissionLimitReached",
    "answer_grade",
    "answer_save",
    "assessment_create",
    "assessment_set_steps",
    "assessment_started",
    "assessment_update",
    "attempt_finish",
    "attempt_start",
    "attempt_submit",
    "candidate_link",
    "closed_reason",
    "draft_save",
    "invitation_create",
    "invitation_extend",
    "invitation_resend",
    "invitation_revoke",
    "invitation_set_extra_time",
    "invitation_settle",
    "invitations_create",
]
