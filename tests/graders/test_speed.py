"""graders.speed: the curve, the median's interval and the interleaved measurement."""

import json
import math

import pytest

from graders.report import Outcome, TestResult, assign_points
from graders.speed import SpeedPolicy, StoppedBy, measure, median_ci, points_fraction

POLICY = SpeedPolicy(
    full_at=1.0,
    zero_at=0.1,
    min_rounds=5,
    max_rounds=9,
    budget_s=100.0,
    target_rse=1e-9,
    tie_margin=0.0,
)


def test_the_curve_is_monotonic_with_fixed_ends():
    ratios = [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.9, 0.99, 1.0, 3.0, 50.0]
    fractions = [points_fraction(r, POLICY) for r in ratios]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and points_fraction(0.1, POLICY) == 0.0
    assert points_fraction(1.0, POLICY) == 1.0
    assert math.isclose(points_fraction(math.sqrt(0.1), POLICY), 0.5)


def test_one_lucky_round_does_not_buy_points():
    log = []
    lucky = FakeSide("A", [0.2, 0.2, 0.1, 0.2, 0.2], log)  # ratios 0.5 0.5 1.0 0.5 0.5
    result = measure(
        run_candidate=lucky,
        run_reference=FakeSide("B", 0.1, log),
        make_case=lambda i: i,
        check=lambda *a: None,
        policy=POLICY,
    )
    assert result.ci_high == 1.0  # the interval reaches full speed...
    assert result.fraction == points_fraction(0.5, POLICY) < 0.75  # ...the median decides
    assert not result.tie


def test_a_ratio_within_the_tie_margin_is_full_and_the_curve_stays_continuous():
    policy = SpeedPolicy(full_at=1.0, zero_at=0.1, tie_margin=0.05)
    assert points_fraction(0.96, policy) == 1.0
    assert points_fraction(0.95, policy) == 1.0
    assert 0.99 < points_fraction(0.949, policy) < 1.0
    ratios = [0.05 * i for i in range(1, 40)]
    fractions = [points_fraction(r, policy) for r in ratios]
    assert fractions == sorted(fractions)


def test_the_median_interval_contains_the_median_and_narrows_with_more_samples():
    small = median_ci([1.0, 2.0, 3.0, 4.0, 5.0])
    assert small == (1.0, 5.0)  # 5 samples: only the full range comes close to 95%
    assert median_ci([float(i) for i in range(9)]) == (1.0, 7.0)  # the first inner interval
    assert median_ci([float(i) for i in range(20)]) == (5.0, 14.0)  # x(6)..x(15), textbook
    values = [float(i) for i in range(101)]
    low, high = median_ci(values)
    assert low < 50.0 < high and high - low < 25


class FakeSide:
    """A timed function with a scripted duration per call, recording the order of calls."""

    def __init__(self, name, seconds, log, answer=lambda case: case):
        self.name, self.log, self.answer = name, log, answer
        self.seconds = seconds if isinstance(seconds, list) else [seconds]
        self.calls = 0

    def __call__(self, case):
        self.log.append(self.name)
        self.calls += 1
        return self.answer(case), self.seconds[self.calls % len(self.seconds)]


def test_rounds_alternate_and_the_ratio_is_reference_over_candidate():
    log = []
    result = measure(
        run_candidate=FakeSide("A", 0.4, log),
        run_reference=FakeSide("B", 0.1, log),
        make_case=lambda i: i,
        check=lambda case, got, expected: None,
        policy=POLICY,
    )
    assert result.rounds == POLICY.min_rounds  # identical ratios: precise after min_rounds
    assert math.isclose(result.ratio, 0.25)
    assert result.candidate_median_s == 0.4 and result.reference_median_s == 0.1
    assert log[:6] == ["A", "B", "A", "B", "B", "A"]  # warm-up, then A B, then B A
    assert 0.0 < result.fraction < 1.0 and not result.suspicious
    assert result.stopped_by is StoppedBy.PRECISION and not result.tie


def test_every_round_gets_a_fresh_case_and_every_output_is_checked():
    seen = []

    def check(case, got, expected):
        seen.append(case)
        assert got == expected

    log = []
    measure(
        run_candidate=FakeSide("A", 0.1, log),
        run_reference=FakeSide("B", 0.1, log),
        make_case=lambda i: i,
        check=check,
        policy=POLICY,
    )
    assert seen == list(range(POLICY.min_rounds + 1))


def test_a_wrong_output_during_timing_fails_the_measurement():
    log = []
    wrong_after_warmup = FakeSide("A", 0.01, log, answer=lambda case: case if case == 0 else -1)

    def check(case, got, expected):
        assert got == expected, "wrong"

    with pytest.raises(AssertionError, match="wrong"):
        measure(
            run_candidate=wrong_after_warmup,
            run_reference=FakeSide("B", 0.1, log),
            make_case=lambda i: i,
            check=check,
            policy=POLICY,
        )


def scripted(ratios, *, reference_s=0.1, warmup_s=0.1, now=None):
    """Candidate and reference sides whose round i (the case) has ratio ratios[i - 1].

    With `now` (a one-element list), every call moves that fake clock by the time it reports.
    """

    def advance(seconds):
        if now is not None:
            now[0] += seconds
        return seconds

    def candidate(case):
        if case == 0:
            return case, advance(warmup_s)
        return case, advance(reference_s / ratios[(case - 1) % len(ratios)])

    def reference(case):
        return case, advance(reference_s)

    return {"run_candidate": candidate, "run_reference": reference, "make_case": lambda i: i}


# 20 rounds, median 0.94 (below the 0.95 tie margin), interval x(6)..x(15) = [0.93, 1.01]
NEAR_TIE = [0.92, 0.93, 0.94, 0.93, 0.92, 0.94, 0.97, 1.01, 1.03, 1.02] * 2
TWENTY_ROUNDS = SpeedPolicy(min_rounds=20, max_rounds=20, budget_s=1e9, target_rse=1e-12)


def test_a_ratio_within_the_measured_noise_is_a_tie_with_full_points():
    result = measure(**scripted(NEAR_TIE), check=lambda *a: None, policy=TWENTY_ROUNDS)
    assert math.isclose(result.ratio, 0.94) and result.ci_low < 1.0 < result.ci_high
    assert points_fraction(result.ratio, TWENTY_ROUNDS) < 1.0  # the curve alone would not...
    assert result.tie and result.fraction == 1.0  # ...but the reference is inside the noise


def test_a_wide_interval_from_one_lucky_round_is_not_a_tie():
    policy = SpeedPolicy(min_rounds=5, max_rounds=5, budget_s=1e9, target_rse=1e-12)
    result = measure(**scripted([0.5, 0.5, 1.0, 0.5, 0.5]), check=lambda *a: None, policy=policy)
    assert result.ci_low <= 1.0 <= result.ci_high  # the interval holds full_at, but it is [0.5, 1]
    assert not result.tie and result.fraction == points_fraction(0.5, policy) < 0.75


def test_a_candidate_twice_as_slow_is_ranked_slower_than_one_at_the_reference_speed():
    slow = measure(
        **scripted([r / 2 for r in NEAR_TIE]), check=lambda *a: None, policy=TWENTY_ROUNDS
    )
    tied = measure(**scripted(NEAR_TIE), check=lambda *a: None, policy=TWENTY_ROUNDS)
    assert math.isclose(slow.ratio, 0.47) and slow.ci_high < 1.0 and not slow.tie
    assert slow.fraction == points_fraction(slow.ratio, TWENTY_ROUNDS)
    assert 0.0 < slow.fraction < 0.75 < tied.fraction == 1.0


def test_a_faster_candidate_never_earns_fewer_points():
    fractions = []
    for step in range(1, 80):
        scale = 0.02 * step  # the same noise pattern, from 50x slower to 1.6x faster
        ratios = [r * scale for r in NEAR_TIE]
        result = measure(**scripted(ratios), check=lambda *a: None, policy=TWENTY_ROUNDS)
        fractions.append(result.fraction)
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0 and fractions[-1] == 1.0


def test_a_speedup_over_ten_times_is_flagged_and_not_rewarded_beyond_full():
    log = []
    result = measure(
        run_candidate=FakeSide("A", [0.001, 0.0012, 0.0009], log),
        run_reference=FakeSide("B", 0.1, log),
        make_case=lambda i: i,
        check=lambda *a: None,
        policy=POLICY,
    )
    assert result.ratio > 50 and result.suspicious
    assert result.fraction == 1.0 and not result.tie  # clearly faster: full by the curve
    tests = [
        TestResult("t::fast", "fast", "", Outcome.PASSED, is_speed=True, fraction=result.fraction),
        TestResult("t::right", "right", "", Outcome.PASSED, fraction=1.0),
    ]
    assert assign_points(tests, correctness_share=80.0, speed_share=20.0) == 100.0
    assert tests[0].points == tests[0].max_points == 20.0


def test_the_report_says_whether_it_was_a_tie_and_why_measuring_stopped():
    result = measure(**scripted(NEAR_TIE), check=lambda *a: None, policy=TWENTY_ROUNDS)
    report = json.loads(json.dumps(result.as_report(with_samples=False)))
    assert report["tie"] is True and report["stopped_by"] == "rounds"
    assert report["fraction"] == 1.0 and "samples" not in report


def test_measurement_stops_when_the_budget_is_spent():
    policy = SpeedPolicy(min_rounds=3, max_rounds=50, budget_s=3.0, target_rse=1e-12)
    now = [0.0]

    def side(name, seconds):
        inner = FakeSide(name, seconds, [])

        def run(case):
            output, took = inner(case)
            now[0] += took  # a fake clock that moves by the time each call reports
            return output, took

        return run

    result = measure(
        run_candidate=side("A", [0.1, 0.13, 0.08]),
        run_reference=side("B", 0.2),
        make_case=lambda i: i,
        check=lambda *a: None,
        policy=policy,
        clock=lambda: now[0],
    )
    # about 0.3 s a round: the 3 s budget is spent after 9 or 10 rounds, long before max_rounds
    assert 8 <= result.rounds <= 10 and result.stopped_by is StoppedBy.BUDGET
    assert now[0] <= policy.budget_s  # no round started that would end past the budget


def test_the_warm_up_round_counts_against_the_budget():
    policy = SpeedPolicy(min_rounds=3, max_rounds=50, budget_s=3.0, target_rse=1e-12)
    now = [0.0]
    sides = scripted([0.5, 0.6], warmup_s=5.0, now=now)  # a slow first call (imports, caches)
    result = measure(**sides, check=lambda *a: None, policy=policy, clock=lambda: now[0])
    assert result.rounds == policy.min_rounds and result.stopped_by is StoppedBy.BUDGET


def test_the_budget_never_cuts_below_min_rounds():
    policy = SpeedPolicy(min_rounds=6, max_rounds=50, budget_s=0.5, target_rse=1e-12)
    now = [0.0]
    sides = scripted([0.5, 0.6], reference_s=1.0, now=now)  # every round is past the budget
    result = measure(**sides, check=lambda *a: None, policy=policy, clock=lambda: now[0])
    assert result.rounds == 6 and result.stopped_by is StoppedBy.BUDGET


def test_noisy_ratios_keep_measuring_until_precise_enough():
    log = []
    policy = SpeedPolicy(min_rounds=3, max_rounds=12, budget_s=1e9, target_rse=1e-12)
    result = measure(
        run_candidate=FakeSide("A", [0.1, 0.12], log),
        run_reference=FakeSide("B", 0.1, log),
        make_case=lambda i: i,
        check=lambda *a: None,
        policy=policy,
    )
    assert result.rounds == 12 and result.stopped_by is StoppedBy.ROUNDS
    assert len(log) == 2 * (12 + 1)  # the warm-up and max_rounds rounds, no more calls


def test_a_precise_enough_measurement_stops_before_max_rounds():
    policy = SpeedPolicy(min_rounds=5, max_rounds=40, budget_s=1e9, target_rse=0.02)
    result = measure(**scripted([1.0, 1.02, 0.98]), check=lambda *a: None, policy=policy)
    assert 5 <= result.rounds < 40 and result.stopped_by is StoppedBy.PRECISION
