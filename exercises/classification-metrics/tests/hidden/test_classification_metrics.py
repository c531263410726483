"""Hidden tests for classification-metrics: against scikit-learn, edge cases, errors, speed."""

import numpy as np
import pytest
from metrics_checks import (
    AVERAGES,
    check_auc,
    check_confusion,
    check_prf,
    expected_auc,
    expected_confusion,
    expected_prf,
    labels,
    noisy_predictions,
)

from graders.checks import assert_unchanged
from graders.remote import inspect_call

# (n, k, n_classes given, skewed classes)
CASES = [(50, 3, False, False), (400, 7, False, True), (1000, 12, True, True), (1, 1, False, False)]


@pytest.mark.weight(2)
def test_confusion_matrix_matches_scikit_learn(solution):
    """Rows are true classes, columns predictions; int64 (K, K); K from the labels or n_classes."""
    rng = np.random.default_rng(10)
    for n, k, give_k, skew in CASES:
        y_true = labels(rng, n, k, skew=skew)
        y_pred = noisy_predictions(rng, y_true, k, 0.6)
        kk = k + 2 if give_k else int(max(y_true.max(), y_pred.max())) + 1
        got = solution.confusion_matrix(y_true, y_pred, n_classes=kk if give_k else None)
        got = check_confusion(got, kk)
        np.testing.assert_array_equal(
            got, expected_confusion(y_true, y_pred, kk), err_msg=f"n={n}, K={kk}"
        )
    # Orientation, spelled out: one sample of class 0 predicted as 2.
    got = check_confusion(solution.confusion_matrix([0, 1, 2], [2, 1, 2]), 3)
    assert got[0, 2] == 1 and got[2, 0] == 0, (
        f"C[i, j] counts true class i predicted as j; got {got.tolist()} for y_true=[0, 1, 2], "
        "y_pred=[2, 1, 2]"
    )


@pytest.mark.weight(2)
def test_per_class_precision_recall_f1_match_scikit_learn(solution, tolerances):
    """average=None: float64 arrays (K,), equal to scikit-learn's with zero_division=0."""
    rng = np.random.default_rng(11)
    for n, k, give_k, skew in CASES:
        y_true = labels(rng, n, k, skew=skew)
        y_pred = noisy_predictions(rng, y_true, k, 0.5)
        kk = k + 2 if give_k else int(max(y_true.max(), y_pred.max())) + 1
        got = solution.precision_recall_f1(y_true, y_pred, n_classes=kk if give_k else None)
        check_prf(
            got,
            kk,
            None,
            expected_prf(y_true, y_pred, kk, None),
            **tolerances,
            where=f"n={n}, K={kk}",
        )


@pytest.mark.weight(3)
def test_micro_macro_and_weighted_averages_match_scikit_learn(solution, tolerances):
    """Each average over all K classes, as scikit-learn computes it (labels=range(K))."""
    rng = np.random.default_rng(12)
    for n, k, give_k, skew in CASES:
        for accuracy in (0.3, 0.8):
            y_true = labels(rng, n, k, skew=skew)
            y_pred = noisy_predictions(rng, y_true, k, accuracy)
            kk = k + 2 if give_k else int(max(y_true.max(), y_pred.max())) + 1
            for average in AVERAGES:
                got = solution.precision_recall_f1(
                    y_true, y_pred, average=average, n_classes=kk if give_k else None
                )
                check_prf(
                    got,
                    kk,
                    average,
                    expected_prf(y_true, y_pred, kk, average),
                    **tolerances,
                    where=f"n={n}, K={kk}, accuracy {accuracy}",
                )


@pytest.mark.weight(2)
def test_zero_denominators_give_zero_and_absent_classes_count_in_macro(solution, tolerances):
    """Never-predicted or never-occurring classes score 0.0 (no NaN) and still enter averages."""
    y_true = np.array([0, 0, 1, 1, 1])
    y_pred = np.array([0, 1, 1, 1, 0])
    # Class 2 occurs nowhere, class 3 is only predicted... in the second case.
    cases = [
        (y_true, y_pred, 4),
        (np.array([0, 0, 1, 2]), np.array([0, 3, 3, 3]), 4),
        (np.array([2, 2, 2]), np.array([2, 2, 2]), None),
    ]
    for yt, yp, k in cases:
        kk = k if k is not None else 3
        for average in (None, *AVERAGES):
            got = solution.precision_recall_f1(yt, yp, average=average, n_classes=k)
            check_prf(
                got,
                kk,
                average,
                expected_prf(yt, yp, kk, average),
                **tolerances,
                where=f"y_true={yt.tolist()}, y_pred={yp.tolist()}, n_classes={k}",
            )
    # Empty inputs with n_classes: all counts zero, every metric 0.0.
    empty = np.array([], dtype=np.int64)
    got = check_confusion(solution.confusion_matrix(empty, empty, n_classes=3), 3)
    assert not got.any(), f"empty inputs must give a zero matrix, got {got.tolist()}"
    for average in (None, *AVERAGES):
        zero = (np.zeros(3),) * 3 if average is None else (0.0, 0.0, 0.0)
        got = solution.precision_recall_f1(empty, empty, average=average, n_classes=3)
        check_prf(got, 3, average, zero, **tolerances, where="empty inputs, n_classes=3")


@pytest.mark.weight(2)
def test_roc_auc_matches_scikit_learn_with_and_without_ties(solution, tolerances):
    """roc_auc equals roc_auc_score for continuous, heavily tied and extreme scores."""
    rng = np.random.default_rng(13)
    for n, ties in [(20, False), (500, False), (500, True), (3000, True), (2, False)]:
        y = rng.integers(2, size=n)
        y[:2] = [0, 1]
        scores = rng.normal(size=n) + 0.8 * y
        if ties:
            scores = np.round(scores, 1)
        check_auc(
            solution.roc_auc(y, scores),
            expected_auc(y, scores),
            **tolerances,
            where=f"n={n}, ties={ties}",
        )
    y = np.array([True, False, True, False, True, False])
    scores = [1e308, -1e308, 5e-324, 0.0, 1e308, 1e308]
    check_auc(
        solution.roc_auc(y, scores),
        expected_auc(y, scores),
        **tolerances,
        where=("bool labels, extreme scores"),
    )
    y = [0, 1, 1, 0, 1, 0, 0]
    scores = [3, 1, 2, 2, 5, 1, 0]  # lists of ints
    check_auc(solution.roc_auc(y, scores), expected_auc(y, scores), **tolerances, where="lists")


@pytest.mark.weight(1)
def test_roc_auc_of_perfect_reversed_and_constant_scores(solution, tolerances):
    """1.0 when positives outscore negatives, 0.0 reversed, 0.5 when all scores tie."""
    y = np.array([0, 0, 0, 1, 1])
    for scores, want in [([0.1, 0.2, 0.3, 0.4, 0.9], 1.0), ([5, 4, 3, 2, 1], 0.0), ([7] * 5, 0.5)]:
        check_auc(solution.roc_auc(y, scores), want, **tolerances, where=f"scores={scores}")


@pytest.mark.weight(1)
def test_bad_inputs_raise_value_error(solution):
    """ValueError for the bad inputs the statement lists."""
    good = np.array([0, 1, 2])
    bad_pairs = [
        (np.zeros((2, 2), dtype=int), np.zeros((2, 2), dtype=int)),  # 2-D
        (good, np.array([0, 1])),  # lengths differ
        (np.array([0.0, 1.0, 2.0]), good),  # float labels
        (good, np.array([0, -1, 2])),  # negative label
        (np.array([], dtype=int), np.array([], dtype=int)),  # empty without n_classes
    ]
    for y_true, y_pred in bad_pairs:
        for call in (solution.confusion_matrix, solution.precision_recall_f1):
            with pytest.raises(ValueError):
                call(y_true, y_pred)
    for n_classes in (0, 2):  # 2 is not above the label 2
        with pytest.raises(ValueError):
            solution.confusion_matrix(good, good, n_classes=n_classes)
    with pytest.raises(ValueError):
        solution.precision_recall_f1(good, good, average="samples")
    y = np.array([0, 1, 1, 0])
    s = np.array([0.1, 0.7, 0.2, 0.3])
    for bad_y, bad_s in [
        (np.array([0, 0, 0, 0]), s),  # one class
        (np.array([1, 1, 1, 1]), s),  # one class
        (np.array([0, 2, 1, 0]), s),  # not binary
        (y, np.array([0.1, np.nan, 0.2, 0.3])),  # NaN
        (y, np.array([0.1, np.inf, 0.2, 0.3])),  # inf
        (y, s[:3]),  # lengths differ
        (y[None, :], s[None, :]),  # 2-D
    ]:
        with pytest.raises(ValueError):
            solution.roc_auc(bad_y, bad_s)


@pytest.mark.weight(1)
def test_inputs_are_not_modified(solution):
    """No function changes the arrays it is given."""
    rng = np.random.default_rng(14)
    y_true = rng.integers(5, size=200)
    y_pred = rng.permutation(y_true)
    scores = rng.normal(size=200)
    binary = (y_true > 2).astype(np.int64)
    calls = [
        (solution.confusion_matrix, (y_true, y_pred), {}),
        (solution.precision_recall_f1, (y_true, y_pred), {"average": "weighted"}),
        (solution.roc_auc, (binary, scores), {}),
    ]
    for function, args, kwargs in calls:
        _, after, _ = inspect_call(function, *args, **kwargs)
        assert_unchanged(list(args), after, what="the arguments")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_roc_auc_on_300k_tied_scores(solution, reference, speed, tolerances):
    """roc_auc against an O(n log n) reference: 300,000 samples, scores rounded to 2 decimals."""

    def make_case(rng):
        y = rng.integers(2, size=300_000)
        return speed.case(y, np.round(rng.normal(size=y.size) + 0.5 * y, 2))

    def check(case, got, expected):
        check_auc(got, expected, **tolerances, where="speed test")

    speed.compare(solution.roc_auc, reference.roc_auc, make_case, check)
