"""Speed scoring: time candidate against reference from the trusted side, and turn it into points.

The ratio is `reference time / candidate time`: 1.0 means as fast as the reference, 0.5 twice as
slow, 2.0 twice as fast. Rounds interleave the two (A B, B A, A B...) so drift hits both, every
round gets fresh inputs (so caching earlier answers does not help) and every output is verified
(so skipping work does not help). The score uses the median per-round ratio; the report also
gives an interval for it from order statistics (no distributional assumption), for reading
only: with few rounds it is wide, and a single lucky round must not buy points.

Points follow `points_fraction`, a monotonic log-linear curve fixed in `exercise.toml`. With
full = full_at * (1 - tie_margin), ratios that close to full_at being a tie (two processes
running the same code differ by a few percent, from memory layout alone):
    fraction = 1                                      if ratio >= full
    fraction = log(ratio/zero_at)/log(full/zero_at)   between zero_at and full
    fraction = 0                                      if ratio <= zero_at
A measurement whose interval holds full_at is a tie too (full points: the difference is within
the measured noise), provided the whole interval lies above full_at * (1 - 2 * tie_margin): a
wide interval (few rounds, one lucky round) says nothing and must not buy points. A ratio above
`suspicious_above` is flagged for a person to look at and earns the full points, never more.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


@dataclass(frozen=True)
class SpeedPolicy:
    """How long to measure and how a ratio becomes points (see the module docstring)."""

    full_at: float = 1.0
    zero_at: float = 0.1
    min_rounds: int = 5
    max_rounds: int = 40
    budget_s: float = 8.0
    target_rse: float = 0.02
    suspicious_above: float = 10.0
    confidence: float = 0.95
    tie_margin: float = 0.05


def points_fraction(ratio: float, policy: SpeedPolicy) -> float:
    """Share of a speed test's points earned at the median `ratio` (monotonic non-decreasing).

    A ratio within `tie_margin` of `full_at` is a tie with the reference: full points.
    """
    full = policy.full_at * (1.0 - policy.tie_margin)
    if ratio >= full:
        return 1.0
    if ratio <= policy.zero_at:
        return 0.0
    return math.log(ratio / policy.zero_at) / math.log(full / policy.zero_at)


def is_tie(ratio: float, ci_low: float, ci_high: float, policy: SpeedPolicy) -> bool:
    """Whether a measurement counts as a tie with the reference (full points, see the module).

    Within the tie margin below full_at, or an interval that holds full_at and is narrow enough
    to mean something. A measurement clearly faster than full_at (its interval above it) is not
    a tie: it earns full points by the curve.
    """
    if ci_low > policy.full_at:
        return False
    if policy.full_at * (1.0 - policy.tie_margin) <= ratio:
        return True
    narrow = ci_low >= policy.full_at * (1.0 - 2.0 * policy.tie_margin)
    return narrow and ci_low <= policy.full_at <= ci_high


def median_ci(samples: list[float], confidence: float = 0.95) -> tuple[float, float]:
    """Distribution-free interval for the median, from binomial order statistics.

    With up to 8 samples at 95% it is the full range [min, max], which covers the median with
    probability 1 - 2/2**n: at least 95% from 6 samples on, only 93.75% at n = 5.
    """
    ordered = sorted(samples)
    n = len(ordered)
    if n == 0:
        raise ValueError("no samples")
    alpha = 1.0 - confidence
    # Largest k >= 1 with P(Binomial(n, 1/2) <= k - 1) <= alpha/2: [x_(k), x_(n-k+1)] covers.
    cumulative = 0.0
    k = 1
    for i in range(n):
        cumulative += math.comb(n, i) / 2**n
        if cumulative > alpha / 2:
            break
        k = i + 1
    return ordered[k - 1], ordered[n - k]


class StoppedBy(StrEnum):
    """Why a measurement stopped taking rounds."""

    PRECISION = "precision"  # the relative standard error reached target_rse
    BUDGET = "budget"  # another round would have run past budget_s
    ROUNDS = "rounds"  # max_rounds taken


@dataclass
class SpeedResult:
    """One speed test's measurement, as it goes into the report."""

    ratio: float
    ci_low: float
    ci_high: float
    rounds: int
    candidate_median_s: float
    reference_median_s: float
    fraction: float
    suspicious: bool
    tie: bool
    stopped_by: StoppedBy
    samples: list[float] = field(default_factory=list)  # per-round ratios, in round order

    def as_report(self, *, with_samples: bool) -> dict[str, Any]:
        """The report's form. Per-round samples only where messages are shown too (public
        suites): on a hidden suite they would be a channel the candidate's code writes into."""
        report: dict[str, Any] = {
            "ratio": round(self.ratio, 4),
            "ci_low": round(self.ci_low, 4),
            "ci_high": round(self.ci_high, 4),
            "rounds": self.rounds,
            "candidate_median_s": round(self.candidate_median_s, 6),
            "reference_median_s": round(self.reference_median_s, 6),
            "fraction": round(self.fraction, 4),
            "suspicious": self.suspicious,
            "tie": self.tie,
            "stopped_by": self.stopped_by.value,
        }
        if with_samples:
            # Round order alternates candidate-first, reference-first: odd rounds ran B A.
            report["samples"] = [round(r, 4) for r in self.samples]
        return report


def relative_standard_error(ratios: list[float]) -> float:
    """Standard error of the median log-ratio: roughly the relative error of the scored ratio.

    The median's standard error is sqrt(pi/2) times the mean's for normal samples (its
    asymptotic efficiency); the score is the median, so the stopping rule must use that.
    """
    if len(ratios) < 2:
        return math.inf
    logs = [math.log(r) for r in ratios]
    return math.sqrt(math.pi / 2) * statistics.stdev(logs) / math.sqrt(len(logs))


Timed = Callable[[Any], tuple[Any, float]]  # case -> (output, seconds)


def measure(
    *,
    run_candidate: Timed,
    run_reference: Timed,
    make_case: Callable[[int], Any],
    check: Callable[[Any, Any, Any], None],
    policy: SpeedPolicy,
    clock: Callable[[], float] = time.monotonic,
) -> SpeedResult:
    """Run interleaved rounds until the ratio is precise enough, the budget or the rounds run out.

    `make_case(i)` builds round i's fresh inputs; `run_*` call one side and return its output
    and the seconds the trusted side measured; `check(case, candidate_out, reference_out)`
    raises AssertionError when the candidate's output is wrong. Round 0 is a warm-up, checked
    but not timed; its time counts against `budget_s`. Past `min_rounds`, measuring stops as soon
    as the relative standard error reaches `target_rse`, or when one more round (as long as the
    last) would end past `budget_s`; it never takes more than `max_rounds`. The budget does not cut
    below `min_rounds` (fewer rounds make the interval meaningless): the call timeouts and the
    job's limits bound a slow candidate.
    """
    started = clock()
    case = make_case(0)
    candidate_out, _ = run_candidate(case)
    reference_out, _ = run_reference(case)
    check(case, candidate_out, reference_out)
    ratios: list[float] = []
    candidate_times: list[float] = []
    reference_times: list[float] = []
    stopped_by = StoppedBy.ROUNDS
    while len(ratios) < policy.max_rounds:
        round_started = clock()
        case = make_case(len(ratios) + 1)
        if len(ratios) % 2 == 0:
            candidate_out, t_cand = run_candidate(case)
            reference_out, t_ref = run_reference(case)
        else:
            reference_out, t_ref = run_reference(case)
            candidate_out, t_cand = run_candidate(case)
        check(case, candidate_out, reference_out)
        t_cand, t_ref = max(t_cand, 1e-9), max(t_ref, 1e-9)
        candidate_times.append(t_cand)
        reference_times.append(t_ref)
        ratios.append(t_ref / t_cand)
        if len(ratios) < policy.min_rounds:
            continue
        if relative_standard_error(ratios) <= policy.target_rse:
            stopped_by = StoppedBy.PRECISION
            break
        now = clock()
        if now + (now - round_started) - started > policy.budget_s:
            stopped_by = StoppedBy.BUDGET
            break
    ratio = statistics.median(ratios)
    ci_low, ci_high = median_ci(ratios, policy.confidence)
    tie = is_tie(ratio, ci_low, ci_high, policy)
    return SpeedResult(
        ratio=ratio,
        ci_low=ci_low,
        ci_high=ci_high,
        rounds=len(ratios),
        candidate_median_s=statistics.median(candidate_times),
        reference_median_s=statistics.median(reference_times),
        fraction=1.0 if tie else points_fraction(ratio, policy),
        suspicious=ratio > policy.suspicious_above,
        tie=tie,
        stopped_by=stopped_by,
        samples=ratios,
    )
