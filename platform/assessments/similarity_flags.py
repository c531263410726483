"""Reads behind the similarity pages: for each exercise an organization's assessments use, the
final (counted, see assessments.reports) submissions of all its candidates, compared with
assessments.similarity. Evidence for a human, never a verdict: nothing here changes a score.

Computed on request, nothing cached: fingerprinting is linear in the code and the pairs are
set intersections, fast enough for hundreds of candidates per exercise.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from django.db.models import F

from accounts.models import Organization
from assessments.models import AssessmentItem, Invitation
from assessments.reports import counted_submission
from assessments.similarity import (
    DEFAULT_THRESHOLD,
    fingerprint,
    matching_lines,
    similarity,
)
from bank.models import Exercise, ExerciseVersion
from submissions.models import Submission


@dataclass(frozen=True)
class FlaggedPair:
    first: Invitation
    second: Invitation
    similarity: float  # 0-1


@dataclass(frozen=True)
class ExerciseFlags:
    exercise: Exercise
    title: str
    compared: int  # candidates with a final submission
    pairs: list[FlaggedPair]  # at or above the threshold, most similar first, at most MAX_PAIRS
    flagged: int  # how many pairs are at or above the threshold
    too_short: int  # final submissions with too little code of their own to be compared

    @property
    def hidden(self) -> int:
        return self.flagged - len(self.pairs)


# A page of thousands of pairs helps nobody (they mean a shared source, or a threshold too
# low): the most similar are listed, and the page says how many more there are.
MAX_PAIRS = 100
# Below this many fingerprints (beyond the starter's) a source is a line or two: everyone's
# `return a + b` is the same, and saying so would bury the pairs that matter.
MIN_FINGERPRINTS = 5


def _starter(version_ids: set[int]) -> str:
    """What the candidates were given: the starters of the versions they worked on (one per
    version, usually a single one). Their k-grams are excluded from the comparison."""
    starters = ExerciseVersion.objects.filter(id__in=version_ids).values_list("starter", flat=True)
    return "\n\n".join(sorted(set(starters)))


def _final_submissions(
    organization: Organization, exercise_ids: set[int]
) -> dict[int, dict[str, Submission]]:
    """exercise id -> invitation id -> the candidate's counted submission."""
    groups: dict[tuple[int, str], list[Submission]] = {}
    submissions = Submission.objects.filter(
        owner__invitation__assessment__organization=organization,
        exercise_version__exercise_id__in=exercise_ids,
        suite=Submission.Suite.HIDDEN,
        status=Submission.Status.GRADED,
    ).annotate(
        exercise_id=F("exercise_version__exercise_id"), invitation_id=F("owner__invitation__id")
    )
    for submission in submissions:
        key = (submission.exercise_id, str(submission.invitation_id))  # type: ignore[attr-defined]
        groups.setdefault(key, []).append(submission)
    final: dict[int, dict[str, Submission]] = {}
    for (exercise_id, invitation_id), group in groups.items():
        best = counted_submission(group)
        if best is not None:
            final.setdefault(exercise_id, {})[invitation_id] = best
    return final


def similarity_flags(
    *, organization: Organization, threshold: float = DEFAULT_THRESHOLD
) -> list[ExerciseFlags]:
    """Per exercise used in the organization's assessments (by title): how many candidates'
    final submissions were compared and the pairs at or above `threshold`."""
    items = (
        AssessmentItem.objects.filter(assessment__organization=organization, exercise__isnull=False)
        .select_related("exercise__current_version", "exercise_version")
        .defer("exercise__current_version__package", "exercise_version__package")
    )
    exercises: dict[int, tuple[Exercise, str]] = {}
    for item in items:
        assert item.exercise is not None
        version = item.pinned_exercise_version
        exercises[item.exercise.id] = (item.exercise, version.title if version else "")
    final = _final_submissions(organization, set(exercises))
    invitations = {
        str(invitation.id): invitation
        for invitation in Invitation.objects.filter(
            id__in={key for by_invitation in final.values() for key in by_invitation}
        )
    }
    report = []
    for exercise_id, (exercise, title) in sorted(exercises.items(), key=lambda e: e[1][1]):
        submissions = final.get(exercise_id, {})
        pairs, too_short = _pairs(submissions, threshold)
        flagged = [
            FlaggedPair(invitations[first], invitations[second], score)
            for score, first, second in pairs[:MAX_PAIRS]
        ]
        report.append(
            ExerciseFlags(
                exercise, title or exercise.slug, len(submissions), flagged, len(pairs), too_short
            )
        )
    return report


def _pairs(
    submissions: dict[str, Submission], threshold: float
) -> tuple[list[tuple[float, str, str]], int]:
    """(similarity, key, other key) of every pair at or above `threshold`, most similar first,
    and how many sources were too short to compare. Like similarity.similar_pairs, without the
    matching lines the list does not show."""
    starter = _starter({s.exercise_version_id for s in submissions.values()})
    every = {key: fingerprint(s.code, starter=starter) for key, s in submissions.items()}
    prints = {key: f for key, f in every.items() if len(f) >= MIN_FINGERPRINTS}
    pairs = []
    for first, second in combinations(sorted(prints), 2):
        score = similarity(prints[first], prints[second])
        if score >= threshold:
            pairs.append((round(score, 3), first, second))
    return sorted(pairs, key=lambda pair: -pair[0]), len(every) - len(prints)


@dataclass(frozen=True)
class CodeLine:
    number: int
    text: str
    matched: bool


@dataclass(frozen=True)
class Side:
    invitation: Invitation
    submission: Submission | None
    lines: list[CodeLine]
    ranges: list[tuple[int, int]]  # matching line ranges, 1-based, inclusive


@dataclass(frozen=True)
class PairComparison:
    exercise: Exercise
    similarity: float | None  # None when a side has no final submission
    first: Side
    second: Side

    @property
    def sides(self) -> tuple[Side, Side]:
        return self.first, self.second


def _side(
    invitation: Invitation, submission: Submission | None, ranges: list[tuple[int, int]]
) -> Side:
    code = submission.code if submission is not None else ""
    lines = [
        CodeLine(n, text, any(a <= n <= b for a, b in ranges))
        for n, text in enumerate(code.splitlines(), start=1)
    ]
    return Side(invitation, submission, lines, ranges)


def similarity_pair(
    *, organization: Organization, exercise: Exercise, first: Invitation, second: Invitation
) -> PairComparison:
    """The final submissions of two candidates on `exercise`, with the line ranges each
    shares with the other (the starter code excluded, as on the list)."""
    final = _final_submissions(organization, {exercise.id}).get(exercise.id, {})
    mine, theirs = final.get(str(first.id)), final.get(str(second.id))
    if mine is None or theirs is None:
        return PairComparison(exercise, None, _side(first, mine, []), _side(second, theirs, []))
    # The same starter as on the list, so the page shows the number the list did.
    starter = _starter({s.exercise_version_id for s in final.values()})
    prints = fingerprint(mine.code, starter=starter), fingerprint(theirs.code, starter=starter)
    ranges_mine, ranges_theirs = matching_lines(*prints)
    return PairComparison(
        exercise,
        round(similarity(*prints), 3),
        _side(first, mine, ranges_mine),
        _side(second, theirs, ranges_theirs),
    )
