"""One candidate's report: per step the counted submission and every submission with its
tests and its diff against the one before, per question the answer beside the key. Scores
follow the rules of assessments.reports."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import F, Prefetch
from django.utils import timezone

from assessments.models import Answer, Invitation
from assessments.reports import (
    CandidateRow,
    Speed,
    StepScore,
    StepState,
    assessment_items,
    candidate_row,
    counted_submission,
    step_label,
)
from bank.models import QuestionVersion
from bank.question_files import CHOICE_KINDS
from submissions.models import Submission, SubmissionTest

LANGUAGE = "en"  # the interviewer's pages are in English; questions fall back to any language


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "hunk", "add", "del" or "ctx"
    text: str


def code_diff(before: str, after: str) -> list[DiffLine]:
    """A unified diff of two versions of the code, line by line, without the file header."""
    lines: list[DiffLine] = []
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=3)
    for line in diff:
        if line.startswith(("---", "+++")) and not lines:
            continue  # the header of the (nameless) files
        kind = {"@": "hunk", "+": "add", "-": "del"}.get(line[:1], "ctx")
        lines.append(DiffLine(kind, line))
    return lines


@dataclass(frozen=True)
class SubmissionEntry:
    """One submission of a step, for the candidate report."""

    submission: Submission
    number: int  # 1-based, in the order they were made
    tests: list[SubmissionTest]
    counted: bool
    diff: list[DiffLine]
    diff_base: str  # what the diff is against: "the starter code" or "submission N"
    regrade_of: int | None = None  # the number of the submission this one re-grades

    @property
    def speed(self) -> Speed | None:
        return Speed.from_report(self.submission.report)


@dataclass(frozen=True)
class ExerciseStep:
    kind: ClassVar[str] = "exercise"

    step: StepScore
    title: str
    submissions: list[SubmissionEntry]  # oldest first, both suites

    @property
    def counted(self) -> SubmissionEntry | None:
        return next((entry for entry in self.submissions if entry.counted), None)


@dataclass(frozen=True)
class Choice:
    index: int
    text: str
    selected: bool
    keyed: bool


@dataclass(frozen=True)
class RubricLine:
    points: int
    criterion: str


@dataclass(frozen=True)
class QuestionStep:
    kind: ClassVar[str] = "question"

    step: StepScore
    version: QuestionVersion
    prompt: str
    choices: list[Choice]
    rubric: list[RubricLine]
    model_answer: str
    explanation: str
    points: float | None  # earned (None: not answered, or to grade)

    @property
    def is_short(self) -> bool:
        return self.version.kind not in CHOICE_KINDS


@dataclass(frozen=True)
class CandidateReport:
    row: CandidateRow
    steps: list[ExerciseStep | QuestionStep]


def _in_language(texts: dict[str, Any]) -> Any:
    if LANGUAGE in texts:
        return texts[LANGUAGE]
    return texts[sorted(texts)[0]] if texts else None


def _question_report(step: StepScore) -> QuestionStep:
    version = (
        step.answer.question_version if step.answer is not None else None
    ) or step.item.pinned_question_version
    assert version is not None, "a question step always has a version"
    texts = _in_language(version.texts) or {}
    selected = set(step.answer.choices) if step.answer is not None else set()
    choices = [
        Choice(index, text, index in selected, index in version.answer)
        for index, text in enumerate(_in_language(version.choices) or [])
    ]
    rubric = [
        RubricLine(int(line.get("points", 0)), str(_in_language(line.get("criterion", {})) or ""))
        for line in version.rubric
    ]
    return QuestionStep(
        step=step,
        version=version,
        prompt=texts.get("prompt", ""),
        choices=choices,
        rubric=rubric,
        model_answer=texts.get("model_answer", ""),
        explanation=texts.get("explanation", ""),
        points=(step.score * version.points / 100 if step.state is StepState.SCORED else None),
    )


def _exercise_report(step: StepScore, submissions: list[Submission]) -> ExerciseStep:
    version = step.item.pinned_exercise_version
    entries = []
    numbers: dict[Any, int] = {}
    previous: Submission | None = None
    for number, submission in enumerate(submissions, start=1):
        numbers[submission.pk] = number
        original = numbers.get(submission.regrade_of_id)
        if original is not None:  # the same code graded again: compare with what it re-grades
            base_code, base = submissions[original - 1].code, f"submission {original}"
        elif previous is None:
            base_code, base = submission.exercise_version.starter, "the starter code"
        else:
            base_code, base = previous.code, f"submission {number - 1}"
        entries.append(
            SubmissionEntry(
                submission=submission,
                number=number,
                tests=list(submission.tests.all()),
                counted=step.submission is not None and submission.pk == step.submission.pk,
                diff=code_diff(base_code, submission.code),
                diff_base=base,
                regrade_of=original,
            )
        )
        previous = submission
    title = version.title if version is not None else step_label(step.item)
    return ExerciseStep(step=step, title=title, submissions=entries)


def candidate_report(invitation: Invitation) -> CandidateReport:
    """Everything about one candidate: per step the counted submission and every submission
    (oldest first, both suites) with its tests and its diff against the one before; per
    question the answer beside the key. A bounded number of queries (tests are prefetched)."""
    items = assessment_items(invitation.assessment)
    exercise_ids = {item.exercise_id for item in items if item.exercise_id is not None}
    submissions = list(
        Submission.objects.filter(
            owner_id=invitation.candidate_id, exercise_version__exercise_id__in=exercise_ids
        )
        .annotate(exercise_id=F("exercise_version__exercise_id"))
        .select_related("exercise_version")
        .defer("exercise_version__package")
        .prefetch_related(Prefetch("tests", SubmissionTest.objects.order_by("position")))
        .order_by("created_at")
    )
    by_exercise: dict[int, list[Submission]] = {}
    for submission in submissions:
        by_exercise.setdefault(submission.exercise_id, []).append(submission)  # type: ignore[attr-defined]
    counted = {
        exercise_id: best
        for exercise_id, group in by_exercise.items()
        if (best := counted_submission(group)) is not None
    }
    answers = {
        answer.item_id: answer
        for answer in Answer.objects.filter(invitation=invitation).select_related(
            "question_version", "graded_by"
        )
    }
    row = candidate_row(invitation, items, counted, answers, timezone.now())
    steps: list[ExerciseStep | QuestionStep] = [
        _exercise_report(step, by_exercise.get(step.item.exercise_id, []))
        if step.item.exercise_id is not None
        else _question_report(step)
        for step in row.steps
    ]
    return CandidateReport(row=row, steps=steps)
