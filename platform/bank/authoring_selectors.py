"""Reads for authoring: an organization's own exercises with their draft and validations."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max

from accounts.models import Organization
from bank.models import Exercise, ExerciseDraft, ExerciseVersion, Validation


@dataclass(frozen=True)
class AuthoredExercise:
    exercise: Exercise
    draft: ExerciseDraft | None
    latest_validation: Validation | None  # of any content
    current_version: ExerciseVersion | None

    @property
    def unpublished_changes(self) -> bool:
        """The draft differs from what candidates get (the current version)."""
        if self.draft is None:
            return False
        current = self.current_version
        return current is None or current.content_hash != self.draft.content_hash

    @property
    def validation_is_current(self) -> bool:
        """The latest validation is of the draft's content as it is now."""
        return (
            self.draft is not None
            and self.latest_validation is not None
            and self.latest_validation.content_hash == self.draft.content_hash
        )


def authored_exercises(*, organization: Organization) -> list[AuthoredExercise]:
    """The organization's own exercises by slug, each with its draft, latest validation and
    current version (two queries besides the exercises, whatever their number)."""
    exercises = list(
        Exercise.objects.filter(organization=organization)
        .select_related("current_version", "draft")
        .defer("current_version__package", "draft__files")
        .order_by("slug")
    )
    last_ids = (
        Validation.objects.filter(exercise__in=exercises)
        .values("exercise_id")
        .annotate(last=Max("id"))
        .values_list("last", flat=True)
    )
    latest = {
        v.exercise_id: v for v in Validation.objects.filter(id__in=list(last_ids)).defer("files")
    }
    return [
        AuthoredExercise(
            exercise=exercise,
            draft=getattr(exercise, "draft", None),
            latest_validation=latest.get(exercise.pk),
            current_version=exercise.current_version,
        )
        for exercise in exercises
    ]


def validation_latest(*, exercise: Exercise) -> Validation | None:
    """The exercise's most recent validation, of whatever content."""
    return exercise.validations.order_by("-id").first()


def exercise_version_get(*, exercise: Exercise, number: int) -> ExerciseVersion | None:
    return exercise.versions.filter(number=number).first()
