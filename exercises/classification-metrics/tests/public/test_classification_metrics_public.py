"""Public tests for classification-metrics: run them with "Run". The hidden suite checks more."""

import numpy as np
import pytest

Y_TRUE = [0, 1, 2, 2, 1]
Y_PRED = [0, 2, 2, 2, 1]


def test_confusion_matrix_of_the_example(solution):
    """Rows are the true classes, columns the predictions."""
    got = solution.confusion_matrix(Y_TRUE, Y_PRED)
    assert got.dtype == np.int64, f"expected int64, got {got.dtype}"
    np.testing.assert_array_equal(got, [[1, 0, 0], [0, 1, 1], [0, 0, 2]])


def test_per_class_precision_and_recall_of_the_example(solution):
    """average=None gives per-class float64 arrays."""
    p, r, f = solution.precision_recall_f1(Y_TRUE, Y_PRED)
    np.testing.assert_allclose(p, [1.0, 1.0, 2 / 3], err_msg="precision")
    np.testing.assert_allclose(r, [1.0, 0.5, 1.0], err_msg="recall")
    np.testing.assert_allclose(f, [1.0, 2 / 3, 0.8], err_msg="f1")


def test_macro_f1_is_the_mean_of_per_class_f1(solution):
    """Macro averaging averages the per-class values, over every class 0..K-1."""
    p, r, f = solution.precision_recall_f1(Y_TRUE, Y_PRED, average="macro")
    np.testing.assert_allclose([p, r, f], [8 / 9, 5 / 6, (1 + 2 / 3 + 0.8) / 3])


def test_a_never_predicted_class_has_precision_zero(solution):
    """Zero division gives 0.0, not NaN."""
    p, _, _ = solution.precision_recall_f1([0, 1, 1], [0, 0, 0])
    np.testing.assert_array_equal(p, [1 / 3, 0.0])


def test_roc_auc_of_the_example_and_bad_labels(solution):
    """0.75 for the example; ValueError when y_true has one class only."""
    assert solution.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == pytest.approx(0.75)
    with pytest.raises(ValueError):
        solution.roc_auc([1, 1, 1], [0.2, 0.4, 0.6])
