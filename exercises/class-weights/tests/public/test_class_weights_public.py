"""Public tests for class-weights: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

LOGITS = np.array([[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
TARGETS = np.array([0, 2])
WEIGHTS = np.array([1.0, 1.0, 3.0])


def test_balanced_weights_of_the_example(solution):
    """n / (K n_k): 6 / (3 * 3), 6 / (3 * 1), 6 / (3 * 2)."""
    got = solution.balanced_class_weights([0, 0, 0, 1, 2, 2])
    assert got.dtype == np.float64, f"expected float64, got {got.dtype}"
    np.testing.assert_allclose(got, [2 / 3, 2.0, 1.0])


def test_per_sample_losses_of_the_example(solution):
    """reduction='none': w[y_i] * (logsumexp(z_i) - z_i[y_i])."""
    got = solution.weighted_cross_entropy(LOGITS, TARGETS, WEIGHTS, reduction="none")
    lse = np.log(np.exp(LOGITS).sum(axis=1))
    np.testing.assert_allclose(got, [lse[0] - 2.0, 3.0 * lse[1]])


def test_the_mean_divides_by_the_total_target_weight(solution):
    """'mean' (the default) divides the sum by w[0] + w[2] = 4, not by n = 2."""
    total = solution.weighted_cross_entropy(LOGITS, TARGETS, WEIGHTS, reduction="sum")
    mean = solution.weighted_cross_entropy(LOGITS, TARGETS, WEIGHTS)
    assert mean == pytest.approx(total / 4.0), f"sum {total}, mean {mean}: expected sum / 4"


def test_gradient_rows_sum_to_zero(solution):
    """Each row of the gradient is w[y_i] (softmax - one_hot) / total weight: it sums to 0."""
    got = solution.weighted_cross_entropy_grad(LOGITS, TARGETS, WEIGHTS)
    assert got.shape == (2, 3), f"expected shape (2, 3), got {got.shape}"
    np.testing.assert_allclose(got.sum(axis=1), 0.0, atol=1e-12)
    np.testing.assert_allclose(got[1, 2], 3.0 * (np.exp(0) / (2 + np.e) - 1.0) / 4.0)


def test_a_class_with_no_sample_is_an_error(solution):
    """Class 1 never occurs: its balanced weight would be infinite."""
    with pytest.raises(ValueError):
        solution.balanced_class_weights([0, 0, 2])
