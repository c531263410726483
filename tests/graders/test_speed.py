"""graders.speed: the curve, the median's interval and the interleaved measurement."""

import math

import pytest

from graders.speed import SpeedPolicy, measure, median_ci, points_fraction

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


def test_a_speedup_over_ten_times_is_flagged_and_not_rewarded_beyond_full():
    log = []
    result = measure(
        run_candidate=FakeSide("A", 0.001, log),
        run_reference=FakeSide("B", 0.1, log),
        make_case=lambda i: i,
        check=lambda *a: None,
        policy=POLICY,
    )
    assert result.suspicious and result.fraction == 1.0


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
    # about 0.3 s a round: the 3 s budget is spent after 10 rounds, long before max_rounds
    assert 9 <= result.rounds <= 11


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
    assert result.rounds == 12
