"""graders.report: verdicts and points are pure functions of the test outcomes."""

import pytest

from graders.report import (
    Outcome,
    TestResult,
    Verdict,
    assign_points,
    decide_verdict,
    speed_summary,
)


def result(outcome=Outcome.PASSED, *, cause=None, weight=1.0, speed=False, fraction=1.0):
    return TestResult(
        nodeid=f"t{id(object())}",
        name="t",
        description="",
        outcome=outcome,
        cause=cause,
        weight=weight,
        is_speed=speed,
        fraction=fraction,
    )


@pytest.mark.parametrize(
    ("outcomes", "import_failed", "verdict"),
    [
        ([result(), result()], False, Verdict.ACCEPTED),
        ([result(), result(Outcome.FAILED)], False, Verdict.WRONG_ANSWER),
        ([result(Outcome.ERROR), result(Outcome.FAILED)], False, Verdict.RUNTIME_ERROR),
        ([result(Outcome.CRASHED, cause="signal")], False, Verdict.RUNTIME_ERROR),
        ([result(Outcome.TIMEOUT), result(Outcome.ERROR)], False, Verdict.TIME_LIMIT_EXCEEDED),
        (
            [result(Outcome.CRASHED, cause="memory"), result(Outcome.TIMEOUT)],
            False,
            Verdict.MEMORY_LIMIT_EXCEEDED,
        ),
        (
            [result(Outcome.CRASHED, cause="output"), result(Outcome.CRASHED, cause="memory")],
            False,
            Verdict.OUTPUT_LIMIT_EXCEEDED,
        ),
        ([result(Outcome.ERROR, cause="import")], True, Verdict.COMPILE_ERROR),
        ([result(Outcome.TIMEOUT, cause="import")], True, Verdict.TIME_LIMIT_EXCEEDED),
        ([result(Outcome.CRASHED, cause="memory")], True, Verdict.MEMORY_LIMIT_EXCEEDED),
        ([], False, Verdict.WRONG_ANSWER),
    ],
)
def test_the_verdict_names_the_most_specific_reason(outcomes, import_failed, verdict):
    assert decide_verdict(outcomes, import_failed=import_failed) is verdict


def test_points_split_each_share_by_weight_and_sum_to_the_score():
    tests = [
        result(weight=3),
        result(Outcome.FAILED, weight=1),
        result(speed=True, fraction=0.5, weight=1),
    ]
    score = assign_points(tests, correctness_share=80, speed_share=20)
    assert [t.max_points for t in tests] == [60, 20, 20]
    assert [t.points for t in tests] == [60, 0, 10]
    assert score == 70


def test_a_suite_without_speed_tests_gives_correctness_the_whole_score():
    tests = [result(), result(Outcome.FAILED)]
    assert assign_points(tests, correctness_share=80, speed_share=20) == 50


def test_a_failed_speed_test_earns_nothing_whatever_its_fraction():
    tests = [result(), result(Outcome.TIMEOUT, speed=True, fraction=1.0)]
    assert assign_points(tests, correctness_share=80, speed_share=20) == 80


def test_speed_summary_is_the_geometric_mean_of_speed_tests():
    a = result(speed=True)
    a.speed = {"ratio": 0.5, "ci_low": 0.4, "ci_high": 0.6, "suspicious": False}
    b = result(speed=True)
    b.speed = {"ratio": 2.0, "ci_low": 1.6, "ci_high": 2.4, "suspicious": True}
    summary = speed_summary([a, b, result()])
    assert summary["ratio"] == 1.0 and summary["tests"] == 2 and summary["suspicious"]
    assert speed_summary([result()]) is None
