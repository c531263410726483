"""The bank as one searchable list for interviewers: the exercises and questions an organization
may see (the shared bank and its own), each with its current version, filtered in memory (a
bank holds tens to a few hundred entries; tags are JSON lists, which SQLite cannot search)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.text import Truncator

from accounts.models import Organization
from bank.models import Exercise, ExerciseVersion, Question, QuestionVersion
from bank.selectors import exercise_list, question_list, visible_to

KINDS = ("exercise", "question")


@dataclass(frozen=True)
class BankFilters:
    """What the bank page was asked for; empty strings filter nothing."""

    q: str = ""  # in the slug, the title (a question's prompt) or a tag
    tag: str = ""
    difficulty: str = ""
    gpu: str = ""  # none | optional | required: exercises only
    kind: str = ""  # exercise | question
    topic: str = ""  # questions only


@dataclass(frozen=True)
class BankRow:
    kind: str  # exercise | question
    slug: str
    title: str
    difficulty: str
    tags: tuple[str, ...]
    version: int
    own: bool  # the organization's own entry, not the shared bank's
    gpu: str = ""  # exercises
    topic: str = ""  # questions
    question_kind: str = ""  # single | multiple | short

    def matches(self, filters: BankFilters) -> bool:
        q = filters.q.strip().lower()
        if q and not (
            q in self.slug.lower()
            or q in self.title.lower()
            or any(q in tag.lower() for tag in self.tags)
        ):
            return False
        return (
            (not filters.kind or self.kind == filters.kind)
            and (not filters.tag or filters.tag in self.tags)
            and (not filters.difficulty or self.difficulty == filters.difficulty)
            and (not filters.gpu or (self.kind == "exercise" and self.gpu == filters.gpu))
            and (not filters.topic or (self.kind == "question" and self.topic == filters.topic))
        )


@dataclass
class BankCatalog:
    rows: list[BankRow]  # those matching the filters
    total: int  # how many the organization may see
    tags: list[str] = field(default_factory=list)  # every tag, topic and difficulty in use
    topics: list[str] = field(default_factory=list)
    difficulties: list[str] = field(default_factory=list)


def _all_rows(organization: Organization) -> list[BankRow]:
    rows: list[BankRow] = []
    for exercise in exercise_list(organization=organization):
        version = exercise.current_version
        assert version is not None  # exercise_list keeps exercises with a version
        rows.append(
            BankRow(
                kind="exercise",
                slug=exercise.slug,
                title=version.title,
                difficulty=version.difficulty,
                tags=tuple(version.tags),
                version=version.number,
                own=exercise.organization_id is not None,
                gpu=version.gpu,
            )
        )
    for question in question_list(organization=organization):
        qv = question.current_version
        assert qv is not None  # question_list keeps questions with a version
        texts: dict[str, str] = qv.texts.get("en") or next(iter(qv.texts.values()), {})
        rows.append(
            BankRow(
                kind="question",
                slug=question.slug,
                title=Truncator(" ".join(texts.get("prompt", "").split())).chars(120),
                difficulty=qv.difficulty,
                tags=tuple(qv.tags),
                version=qv.number,
                own=question.organization_id is not None,
                topic=qv.topic,
                question_kind=qv.kind,
            )
        )
    return rows


def bank_catalog(*, organization: Organization, filters: BankFilters) -> BankCatalog:
    """The exercises (first) and questions `organization` may see that match `filters`, by
    slug, with what the filter menus offer."""
    rows = _all_rows(organization)
    return BankCatalog(
        rows=[row for row in rows if row.matches(filters)],
        total=len(rows),
        tags=sorted({tag for row in rows for tag in row.tags}),
        topics=sorted({row.topic for row in rows if row.topic}),
        difficulties=[
            d for d in ExerciseVersion.Difficulty.values if any(r.difficulty == d for r in rows)
        ],
    )


def bank_exercise_get(
    *, organization: Organization, slug: str, number: int | None = None
) -> tuple[Exercise, ExerciseVersion, list[ExerciseVersion]] | None:
    """An exercise `organization` may see (even one closed to new submissions), its version
    `number` (the current one by default) and all its versions, newest first; None if any
    of that does not exist."""
    exercise = Exercise.objects.filter(visible_to(organization), slug=slug).first()
    if exercise is None:
        return None
    versions = list(exercise.versions.defer("package").order_by("-number"))
    wanted = exercise.current_version_id if number is None else None
    found = next((v for v in versions if v.number == number or v.pk == wanted), None)
    if found is None:
        return None
    # The package (reference, hidden tests, mutants) is read for the chosen version alone.
    version = ExerciseVersion.objects.get(pk=found.pk)
    return exercise, version, versions


def bank_question_get(
    *, organization: Organization, slug: str, number: int | None = None
) -> tuple[Question, QuestionVersion, list[QuestionVersion]] | None:
    """As bank_exercise_get, for a question."""
    question = Question.objects.filter(visible_to(organization), slug=slug).first()
    if question is None:
        return None
    versions = list(question.versions.order_by("-number"))
    wanted = question.current_version_id if number is None else None
    version = next((v for v in versions if v.number == number or v.pk == wanted), None)
    if version is None:
        return None
    return question, version, versions
