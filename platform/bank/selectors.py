"""Reads from the bank."""

from __future__ import annotations

from django.db.models import QuerySet

from bank.models import Exercise


def exercise_list() -> QuerySet[Exercise]:
    """Exercises that accept submissions, with their current version, by slug."""
    return (
        Exercise.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("current_version")
        .defer("current_version__package")
    )


def exercise_get(*, slug: str) -> Exercise | None:
    return exercise_list().filter(slug=slug).first()
