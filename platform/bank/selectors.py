"""Reads from the bank."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import Organization
from bank.models import Exercise, Question


def visible_to(organization: Organization | None) -> Q:
    """The bank entries `organization` may see: the shared bank and its own (None: the shared
    bank alone)."""
    return (
        Q(organization=None) | Q(organization=organization)
        if organization
        else Q(organization=None)
    )


def exercise_list(*, organization: Organization | None = None) -> QuerySet[Exercise]:
    """Exercises that accept submissions and that `organization` may see, with their current
    version, by slug."""
    return (
        Exercise.objects.filter(
            visible_to(organization), is_active=True, current_version__isnull=False
        )
        .select_related("current_version")
        .defer("current_version__package")
    )


def exercise_get(*, slug: str, organization: Organization | None = None) -> Exercise | None:
    return exercise_list(organization=organization).filter(slug=slug).first()


def question_list(
    *,
    organization: Organization | None = None,
    topic: str | None = None,
    kind: str | None = None,
) -> QuerySet[Question]:
    """Active questions that `organization` may see with their current version, by slug;
    optionally of one topic or kind."""
    questions = Question.objects.filter(
        visible_to(organization), is_active=True, current_version__isnull=False
    ).select_related("current_version")
    if topic:
        questions = questions.filter(current_version__topic=topic)
    if kind:
        questions = questions.filter(current_version__kind=kind)
    return questions


def question_get(*, slug: str, organization: Organization | None = None) -> Question | None:
    return question_list(organization=organization).filter(slug=slug).first()


def preferred_language(accept_language: str, available: list[str]) -> str:
    """The first language of an Accept-Language header that `available` has (a bare "zh"
    matches "zh-CN"), else English."""
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()
        for language in available:
            if tag and (tag == language.lower() or language.lower().startswith(tag + "-")):
                return language
    return "en"
