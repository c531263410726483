"""Reads of submissions, always scoped to their owner."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from submissions.models import Submission


def submission_list(*, owner: AbstractBaseUser) -> QuerySet[Submission]:
    """What `owner` submitted: re-grades (made by the platform when an exercise's tests were
    fixed, see submissions.services.regrade) are the interviewer's business, not in the list."""
    return (
        Submission.objects.filter(owner=owner, regrade_of__isnull=True)
        .select_related("exercise_version__exercise")
        .defer("code", "report", "exercise_version__package")
    )


def submission_get(*, owner: AbstractBaseUser, submission_id: UUID) -> Submission | None:
    return (
        Submission.objects.filter(owner=owner, id=submission_id)
        .select_related("exercise_version__exercise")
        .defer("exercise_version__package")
        .prefetch_related("tests")
        .first()
    )
