"""Re-grading: after an exercise's hidden tests are fixed and published as a new version, grade
the submissions made against older versions again, in the background.

A re-grade is a new Submission (same owner, same code, `regrade_of` the original) against the
new version, queued like any other; the original keeps its result, so nothing a report shows
changes until the new result is in (reports prefer a graded re-grade over its original).
"""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import QuerySet

from accounts.audit import audit_record
from bank.models import Exercise, ExerciseVersion
from submissions.models import Submission
from submissions.services.intake import submission_enqueue


class RegradeError(ValueError):
    """The re-grade cannot be made; the message says why."""


def regrade_candidates(*, exercise: Exercise, version: ExerciseVersion) -> QuerySet[Submission]:
    """The graded hidden-suite submissions of `exercise` made against versions older than
    `version`, not yet re-graded against it (originals only: a re-grade is never re-graded)."""
    return (
        Submission.objects.filter(
            exercise_version__exercise=exercise,
            exercise_version__number__lt=version.number,
            suite=Submission.Suite.HIDDEN,
            status=Submission.Status.GRADED,
            regrade_of__isnull=True,
        )
        .exclude(regrades__exercise_version=version)
        .order_by("created_at")
    )


@transaction.atomic
def exercise_regrade(
    *, exercise: Exercise, version: ExerciseVersion, actor: AbstractBaseUser
) -> list[Submission]:
    """Queue a re-grade against `version` of every submission `regrade_candidates` lists and
    return them; each is enqueued once committed. Only an organization's own exercise is
    re-graded (the shared bank's submissions are not one organization's to re-grade)."""
    if exercise.organization is None:
        raise RegradeError("only an organization's own exercises can be re-graded")
    if version.exercise_id != exercise.pk:
        raise RegradeError(f"that version is not of {exercise.slug!r}")
    originals = list(regrade_candidates(exercise=exercise, version=version))
    if not originals:
        return []
    # Not through submission_create: these are not new attempts of the candidate (no size
    # checks to repeat, no quotas to count them against), the code was accepted once already.
    regrades = [
        Submission.objects.create(
            owner_id=original.owner_id,
            exercise_version=version,
            code=original.code,
            suite=original.suite,
            regrade_of=original,
        )
        for original in originals
    ]
    for regrade in regrades:
        transaction.on_commit(partial(submission_enqueue, submission_id=regrade.id))
    audit_record(
        organization=exercise.organization,
        actor=actor,
        action="exercise.regrade",
        target=exercise,
        detail={"version": version.number, "submissions": len(regrades)},
    )
    return regrades
