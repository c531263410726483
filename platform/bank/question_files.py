"""Interview questions as files: `exercises/questions/<slug>.toml` (format: exercises/README.md).

    question = load_question(path)          # QuestionError names the file and every bad field
    points = score_choices(question.kind, question.answer, question.points, selected=[0, 2])

Django-free: the bank's sync (bank.services) turns these into database rows.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graders.package import DIFFICULTIES, SLUG_PATTERN, FieldReader

KINDS = ("single", "multiple", "short")
CHOICE_KINDS = ("single", "multiple")
LANGUAGES = ("en", "zh-CN")
TOPICS = (
    "imbalance",
    "overfitting",
    "evaluation",
    "training-speed",
    "distributed",
    "mixed-precision",
    "compression",
    "privacy",
    "robustness",
    "interpretability",
    "continual-learning",
    "deployment",
)
MIN_CHOICES, MAX_CHOICES = 3, 6
MIN_RUBRIC, MAX_RUBRIC = 2, 5
Problem = Callable[[str, str], None]  # FieldReader.problem: (field, message)
_TOP_LEVEL = {"slug", "kind", "topic", "difficulty", "tags", "points", "answer", "rubric"}


class QuestionError(ValueError):
    """A question file is invalid; `problems` has one line per problem, each naming the field."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class RubricItem:
    points: int
    criterion: dict[str, str]  # language -> text


@dataclass(frozen=True)
class Question:
    slug: str
    kind: str
    topic: str
    difficulty: str
    tags: tuple[str, ...]
    points: int
    answer: tuple[int, ...]  # keyed choice indices; empty for short answers
    # language -> {"prompt", "explanation" (choice kinds; optional for short), "model_answer"}
    texts: dict[str, dict[str, str]]
    choices: dict[str, tuple[str, ...]]  # language -> choices (choice kinds only)
    rubric: tuple[RubricItem, ...] = field(default=())
    content_hash: str = ""


def score_choices(kind: str, answer: tuple[int, ...], points: int, selected: list[int]) -> float:
    """Points for `selected` choice indices (the rule of exercises/README.md).

    single: all points for exactly the keyed choice, else 0. multiple: with R keyed choices, r of
    them and w others selected, points * max(0, (r - w) / R): a wrong pick cancels a right one,
    so ticking every box earns nothing.
    """
    if kind not in CHOICE_KINDS:
        raise ValueError(f"{kind!r} questions are graded by a reviewer, not automatically")
    picked = set(selected)
    keyed = set(answer)
    if kind == "single":
        return float(points) if picked == keyed else 0.0
    right, wrong = len(picked & keyed), len(picked - keyed)
    return points * max(0.0, (right - wrong) / len(keyed))


def load_question(path: Path | str) -> Question:
    """Load and validate one question file; raise QuestionError naming every problem."""
    path = Path(path)
    label = path.name
    try:
        raw = path.read_bytes()
        document = tomllib.loads(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise QuestionError([f"{label}: cannot be read as TOML: {exc}"]) from exc
    f = FieldReader(document, label)
    problem = f.problem
    f.unknown(document, "", _TOP_LEVEL | set(LANGUAGES))
    slug = f.value(document, "", "slug", str) or ""
    if slug and not SLUG_PATTERN.match(slug):
        problem("slug", f"must be lowercase words joined by hyphens, got {slug!r}")
    if slug and slug != path.stem:
        problem("slug", f"must equal the file name {path.stem!r}, got {slug!r}")
    kind = f.choice(document, "", "kind", KINDS)
    topic = f.choice(document, "", "topic", TOPICS)
    difficulty = f.choice(document, "", "difficulty", DIFFICULTIES)
    tags = f.strings(document, "", "tags")
    points = f.value(document, "", "points", int)
    if points is not None and not 1 <= points <= 20:
        problem("points", f"must be between 1 and 20, got {points}")

    texts: dict[str, dict[str, str]] = {}
    choices: dict[str, tuple[str, ...]] = {}
    wanted = ("prompt", "explanation") if kind in CHOICE_KINDS else ("prompt", "model_answer")
    for language in LANGUAGES:
        table = document.get(language)
        if not isinstance(table, dict):
            problem(language, f"a [{language}] table is required (every question is bilingual)")
            continue
        # A short answer may carry an explanation too: notes for the interviewer.
        allowed = {*wanted, "choices"} if kind in CHOICE_KINDS else {*wanted, "explanation"}
        for key in sorted(set(table) - allowed):
            problem(f"{language}.{key}", f"not a field of a {kind} question")
        texts[language] = {}
        for key in wanted:
            text = f.value(table, language, key, str)
            if text is not None and not text.strip():
                problem(f"{language}.{key}", "is empty")
            texts[language][key] = (text or "").strip()
        if kind == "short" and isinstance(table.get("explanation"), str):
            texts[language]["explanation"] = table["explanation"].strip()
        if kind in CHOICE_KINDS:
            items = f.value(table, language, "choices", list)
            if items is not None:
                if not all(isinstance(c, str) and c.strip() for c in items):
                    problem(f"{language}.choices", "must be non-empty strings")
                elif not MIN_CHOICES <= len(items) <= MAX_CHOICES:
                    problem(
                        f"{language}.choices",
                        f"must have {MIN_CHOICES} to {MAX_CHOICES} choices, got {len(items)}",
                    )
                else:
                    choices[language] = tuple(c.strip() for c in items)
    counts = {len(c) for c in choices.values()}
    if len(counts) > 1:
        problem("choices", "every language must list the same number of choices")

    answer: tuple[int, ...] = ()
    rubric: tuple[RubricItem, ...] = ()
    if kind in CHOICE_KINDS:
        answer = _answer(document, kind, max(counts) if counts else 0, problem)
        if "rubric" in document:
            problem("rubric", "only short answers have a rubric")
    elif kind == "short":
        if "answer" in document:
            problem("answer", "short answers have a model answer and a rubric, not an answer key")
        rubric = _rubric(document, problem)
        total = sum(item.points for item in rubric)
        if rubric and points is not None and total != points:
            problem("rubric", f"its points add up to {total}, but points = {points}")
    if f.problems:
        raise QuestionError(f.problems)
    return Question(
        slug=slug,
        kind=kind,
        topic=topic,
        difficulty=difficulty,
        tags=tags,
        points=points,
        answer=answer,
        texts=texts,
        choices=choices,
        rubric=rubric,
        content_hash=hashlib.sha256(raw).hexdigest(),
    )


def _answer(
    document: dict[str, Any], kind: str, n_choices: int, problem: Problem
) -> tuple[int, ...]:
    answer = document.get("answer")
    if not isinstance(answer, list) or not all(type(i) is int for i in answer) or not answer:
        problem("answer", "must be a non-empty list of choice indices (0-based)")
        return ()
    if len(set(answer)) != len(answer):
        problem("answer", f"lists a choice twice: {answer}")
    if n_choices and any(not 0 <= i < n_choices for i in answer):
        problem("answer", f"indices must be between 0 and {n_choices - 1}, got {answer}")
    if kind == "single" and len(answer) != 1:
        problem("answer", f"a single-choice question keys exactly one choice, got {answer}")
    if kind == "multiple" and n_choices and len(set(answer)) >= n_choices:
        problem("answer", "keys every choice: the question would test nothing")
    return tuple(sorted(set(answer)))


def _rubric(document: dict[str, Any], problem: Problem) -> tuple[RubricItem, ...]:
    items = document.get("rubric")
    if not isinstance(items, list) or not MIN_RUBRIC <= len(items) <= MAX_RUBRIC:
        problem("rubric", f"must be {MIN_RUBRIC} to {MAX_RUBRIC} [[rubric]] items")
        return ()
    rubric = []
    for number, item in enumerate(items, start=1):
        name = f"rubric[{number}]"
        if not isinstance(item, dict):
            problem(name, "must be a table")
            continue
        points = item.get("points")
        if type(points) is not int or points < 1:
            problem(f"{name}.points", f"must be a positive integer, got {points!r}")
            continue
        criterion = {}
        for language in LANGUAGES:
            text = item.get(language)
            if not isinstance(text, str) or not text.strip():
                problem(f"{name}.{language}", "is required (the criterion in that language)")
            else:
                criterion[language] = text.strip()
        for key in sorted(set(item) - {"points", *LANGUAGES}):
            problem(f"{name}.{key}", "unknown field")
        rubric.append(RubricItem(points, criterion))
    return tuple(rubric)


def load_question_folder(folder: Path) -> tuple[list[Question], list[str]]:
    """Every question file in `folder` (sorted), and one line per problem of the invalid ones."""
    questions, problems = [], []
    for path in sorted(folder.glob("*.toml")):
        try:
            questions.append(load_question(path))
        except QuestionError as exc:
            problems += exc.problems
    return questions, problems
