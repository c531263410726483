"""What an assessment's candidates scored: the scoring rules, written once, and the reads behind
the interviewer's reports.

Scoring rules
-------------
- An exercise step counts the candidate's *counted submission*: their best-scoring GRADED
  submission of the hidden suite on the step's exercise (ties: the latest). Its score (0-100) is
  the step's score. No such submission: 0, "not submitted". Runs of the public tests never count.
- A choice question (single, multiple) scores itself: `QuestionVersion.score(answer.choices)` of
  the version the answer was given on. A short answer counts `Answer.awarded_points` once a
  reviewer has graded it; until then it counts 0, "to grade", and the candidate's total is
  *provisional*. A question's step score is points / version.points * 100.
- Total = sum(weight * step score) / sum(weights), 0-100, rounded to one decimal.
- Speed ratio of a submission: its report's `speed` (graders.speed: reference time / candidate
  time, so 1.0 is as fast as the reference and 2.0 twice as fast), with the interval
  [ci_low, ci_high]; None when the exercise has no speed test.
- Time spent: from `started_at` to `finished_at` (still going: now, capped at the deadline).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, QuerySet
from django.utils import timezone

from assessments.models import Answer, Assessment, AssessmentItem, Invitation
from assessments.selectors import assessment_steps
from bank.question_files import CHOICE_KINDS
from submissions.models import Submission


class StepState(enum.StrEnum):
    SCORED = "scored"
    NOT_SUBMITTED = "not submitted"
    NOT_ANSWERED = "not answered"
    TO_GRADE = "to grade"


@dataclass(frozen=True)
class Speed:
    """A speed ratio with its interval (see graders.speed)."""

    ratio: float
    ci_low: float | None
    ci_high: float | None

    @classmethod
    def from_report(cls, report: Any) -> Speed | None:
        speed = report.get("speed") if isinstance(report, dict) else None
        if not isinstance(speed, dict) or not isinstance(speed.get("ratio"), int | float):
            return None

        def number(key: str) -> float | None:
            value = speed.get(key)
            return float(value) if isinstance(value, int | float) else None

        return cls(float(speed["ratio"]), number("ci_low"), number("ci_high"))


def counted_submission(submissions: Iterable[Submission]) -> Submission | None:
    """The submission that counts among one candidate's submissions on one exercise: the
    best-scoring graded one of the hidden suite, the latest of equal scores. A graded re-grade
    (`regrade_of`: graded again after the hidden tests were fixed) stands in for its original,
    the latest re-grade for earlier ones; until one is graded the original keeps counting."""
    eligible = [
        s
        for s in submissions
        if s.status == Submission.Status.GRADED and s.suite == Submission.Suite.HIDDEN
    ]
    latest_regrade: dict[Any, Submission] = {}  # original's id -> its latest graded re-grade
    for s in sorted(eligible, key=lambda s: s.created_at):
        if s.regrade_of_id is not None:
            latest_regrade[s.regrade_of_id] = s
    standing = [
        s
        for s in eligible
        if s.pk not in latest_regrade
        and (s.regrade_of_id is None or latest_regrade[s.regrade_of_id] is s)
    ]
    if not standing:
        return None
    return max(standing, key=lambda s: (s.score or 0.0, s.created_at))


def time_spent(invitation: Invitation, now: datetime | None = None) -> timedelta | None:
    """How long the candidate worked: start to finish, or to now (at most the deadline)."""
    if invitation.started_at is None:
        return None
    end = invitation.finished_at
    if end is None:
        end = now or timezone.now()
        if invitation.deadline is not None:
            end = min(end, invitation.deadline)
    return max(end - invitation.started_at, timedelta(0))


@dataclass(frozen=True)
class StepScore:
    """One step's result for one candidate."""

    item: AssessmentItem
    number: int  # 1-based, as the candidate saw it
    score: float  # 0-100
    state: StepState
    submission: Submission | None = None  # exercise steps: the counted submission
    answer: Answer | None = None  # question steps

    @property
    def label(self) -> str:
        return step_label(self.item)

    @property
    def accepted(self) -> bool:
        return self.submission is not None and self.submission.verdict == "ACCEPTED"

    @property
    def speed(self) -> Speed | None:
        return Speed.from_report(self.submission.report) if self.submission else None


def total_score(steps: list[StepScore]) -> float:
    """The weighted mean of the step scores, 0-100, one decimal."""
    weights = sum(step.item.weight for step in steps)
    if not weights:
        return 0.0
    return round(sum(step.item.weight * step.score for step in steps) / weights, 1)


@dataclass(frozen=True)
class CandidateRow:
    """One invitation's line of the assessment report."""

    invitation: Invitation
    steps: list[StepScore]
    total: float
    provisional: bool  # some short answer is still to grade
    time_spent: timedelta | None

    @property
    def time_spent_minutes(self) -> float | None:
        if self.time_spent is None:
            return None
        return round(self.time_spent.total_seconds() / 60, 1)

    @property
    def started(self) -> bool:
        return self.invitation.started_at is not None


def step_label(item: AssessmentItem) -> str:
    """A short name for a step (a column header): the exercise's or question's slug."""
    entry = item.exercise or item.question
    return entry.slug if entry is not None else f"step {item.position}"


def _question_step(item: AssessmentItem, number: int, answer: Answer | None) -> StepScore:
    if answer is None:
        return StepScore(item, number, 0.0, StepState.NOT_ANSWERED)
    version = answer.question_version
    if version.kind in CHOICE_KINDS:
        points: float | None = version.score(list(answer.choices))
    else:
        points = answer.awarded_points
    if points is None:
        return StepScore(item, number, 0.0, StepState.TO_GRADE, answer=answer)
    score = points / version.points * 100 if version.points else 0.0
    return StepScore(item, number, score, StepState.SCORED, answer=answer)


def candidate_row(
    invitation: Invitation,
    items: list[AssessmentItem],
    counted: dict[int, Submission],  # exercise id -> counted submission
    answers: dict[int, Answer],  # item id -> answer
    now: datetime,
) -> CandidateRow:
    """The scores of one invitation, given the steps, its counted submissions and answers."""
    steps = []
    for number, item in enumerate(items, start=1):
        if item.exercise_id is not None:
            submission = counted.get(item.exercise_id)
            if submission is None:
                steps.append(StepScore(item, number, 0.0, StepState.NOT_SUBMITTED))
            else:
                steps.append(
                    StepScore(item, number, submission.score or 0.0, StepState.SCORED, submission)
                )
        else:
            steps.append(_question_step(item, number, answers.get(item.id)))
    return CandidateRow(
        invitation=invitation,
        steps=steps,
        total=total_score(steps),
        provisional=any(step.state is StepState.TO_GRADE for step in steps),
        time_spent=time_spent(invitation, now),
    )


def assessment_items(assessment: Assessment) -> list[AssessmentItem]:
    """The steps in order, with their pinned versions (packages left in the database)."""
    return list(assessment_steps(assessment))


def _graded_hidden() -> QuerySet[Submission]:
    return Submission.objects.filter(
        suite=Submission.Suite.HIDDEN, status=Submission.Status.GRADED
    ).annotate(exercise_id=F("exercise_version__exercise_id"))


@dataclass(frozen=True)
class Column:
    number: int
    label: str
    weight: int


@dataclass(frozen=True)
class AssessmentReport:
    assessment: Assessment
    items: list[AssessmentItem]
    rows: list[CandidateRow]

    @property
    def labels(self) -> list[str]:
        return [step_label(item) for item in self.items]

    @property
    def columns(self) -> list[Column]:
        return [
            Column(number, step_label(item), item.weight)
            for number, item in enumerate(self.items, start=1)
        ]


def assessment_report(assessment: Assessment) -> AssessmentReport:
    """Every invitation of `assessment` with its per-step scores, total and time spent (four
    queries, whatever the number of candidates and submissions)."""
    items = assessment_items(assessment)
    invitations = list(assessment.invitations.order_by("candidate_name", "created_at"))
    counted: dict[int, dict[int, Submission]] = {}  # candidate user id -> exercise id -> sub
    by_key: dict[tuple[int, int], list[Submission]] = {}
    exercise_ids = {item.exercise_id for item in items if item.exercise_id is not None}
    submissions = _graded_hidden().filter(
        owner__invitation__assessment=assessment, exercise_version__exercise_id__in=exercise_ids
    )
    for submission in submissions.defer("code"):
        key = (submission.owner_id, submission.exercise_id)  # type: ignore[attr-defined]
        by_key.setdefault(key, []).append(submission)
    for (owner_id, exercise_id), group in by_key.items():
        best = counted_submission(group)
        if best is not None:
            counted.setdefault(owner_id, {})[exercise_id] = best
    answers: dict[tuple[Any, int], Answer] = {
        (answer.invitation_id, answer.item_id): answer
        for answer in Answer.objects.filter(invitation__assessment=assessment).select_related(
            "question_version"
        )
    }
    now = timezone.now()
    rows = [
        candidate_row(
            invitation,
            items,
            counted.get(invitation.candidate_id, {}),
            {
                item.id: answers[key]
                for item in items
                if (key := (invitation.id, item.id)) in answers
            },
            now,
        )
        for invitation in invitations
    ]
    return AssessmentReport(assessment=assessment, items=items, rows=rows)


def pass_rates(report: AssessmentReport) -> list[tuple[AssessmentItem, float, int]]:
    """Per exercise step: the share (0-100) of the candidates who started whose counted
    submission is ACCEPTED, and how many candidates started."""
    started = [row for row in report.rows if row.started]
    rates = []
    for index, item in enumerate(report.items):
        if item.exercise_id is None:
            continue
        accepted = sum(1 for row in started if row.steps[index].accepted)
        rates.append((item, 100.0 * accepted / len(started) if started else 0.0, len(started)))
    return rates
