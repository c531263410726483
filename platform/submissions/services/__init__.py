"""Writes to submissions: intake (create and enqueue), grading, and recovery (sweeper, orphans,
reaper). Tasks and views call these; nothing else changes a submission's status."""

from submissions.services.grading import GradeResult, submission_grade
from submissions.services.intake import (
    SubmissionRejected,
    submission_create,
    submission_enqueue,
)
from submissions.services.recovery import (
    sandboxes_reap,
    submissions_release_orphans,
    submissions_sweep,
)

__all__ = [
    "GradeResult",
    "SubmissionRejected",
    "sandboxes_reap",
    "submission_create",
    "submission_enqueue",
    "submission_grade",
    "submissions_release_orphans",
    "submissions_sweep",
]
