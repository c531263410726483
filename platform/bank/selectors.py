"""Reads from the bank."""

from __future__ import annotations

from django.db.models import QuerySet

from bank.models import Exercise, Question


def exercise_list() -> QuerySet[Exercise]:
    """Exercises that accept submissions, with their current version, by slug."""
    return (
        Exercise.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("current_version")
        .defer("current_version__package")
    )


def exercise_get(*, slug: str) -> Exercise | None:
    return exercise_list().filter(slug=slug).first()


def question_list(*, topic: str | None = None, kind: str | None = None) -> QuerySet[Question]:
    """Active questions with their current version, by slug; optionally of one topic or kind."""
    questions = Question.objects.filter(
        is_active=True, current_version__isnull=False
    ).select_related("current_version")
    if topic:
        questions = questions.filter(current_version__topic=topic)
    if kind:
        questions = questions.filter(current_version__kind=kind)
    return questions


def question_get(*, slug: str) -> Question | None:
    return question_list().filter(slug=slug).first()


def preferred_language(accept_language: str, available: list[str]) -> str:
    """The first language of an Accept-Language header that `available` has (a bare "zh"
    matches "zh-CN"), else English."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        for language in available:
            if tag and (tag == language.lower() or language.lower().startswith(tag + "-")):
                return language
    return "en"
