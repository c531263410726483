"""Public tests for softmax-cross-entropy: run them with "Run". The hidden suite checks more."""

import numpy as np
import pytest

LOGITS = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 1000.0]])
TARGETS = np.array([0, 2])


def test_the_example_of_the_statement(solution):
    """Mean reduction, no smoothing: the loss and gradient of the statement."""
    loss, grad = solution.softmax_cross_entropy(LOGITS, TARGETS)
    assert isinstance(loss, float), f"loss must be a float, got {type(loss).__name__}"
    np.testing.assert_allclose(loss, 0.20380298222219, rtol=1e-9)
    assert grad.shape == (2, 3), f"grad must have shape (2, 3), got {grad.shape}"
    p = np.exp([2.0, 1.0, 0.0]) / np.exp([2.0, 1.0, 0.0]).sum()
    np.testing.assert_allclose(grad, [(p - [1, 0, 0]) / 2, [0, 0, 0]], atol=1e-12)


def test_label_smoothing_spreads_its_mass_over_all_classes(solution):
    """q = (1 - s) * one_hot + s / C: the statement's example with s = 0.3."""
    loss, grad = solution.softmax_cross_entropy(LOGITS, TARGETS, label_smoothing=0.3)
    np.testing.assert_allclose(loss, 100.35380298222218, rtol=1e-9)
    np.testing.assert_allclose(grad[1], [-0.05, -0.05, 0.1], atol=1e-12)


def test_sum_reduction(solution):
    """reduction="sum": N times the mean, and so is the gradient."""
    loss_mean, grad_mean = solution.softmax_cross_entropy(LOGITS, TARGETS)
    loss_sum, grad_sum = solution.softmax_cross_entropy(LOGITS, TARGETS, reduction="sum")
    np.testing.assert_allclose(loss_sum, 2 * loss_mean, rtol=1e-12)
    np.testing.assert_allclose(grad_sum, 2 * grad_mean, rtol=1e-12, atol=1e-15)


def test_log_softmax_of_huge_logits(solution):
    """No overflow for 1e4 and no -inf for -800."""
    got = solution.log_softmax(np.array([[1e4, -1e4], [0.0, -800.0]]))
    np.testing.assert_allclose(got, [[0.0, -2e4], [0.0, -800.0]], rtol=1e-12)


def test_rejects_a_target_out_of_range(solution):
    """Targets must be in [0, C)."""
    with pytest.raises(ValueError):
        solution.softmax_cross_entropy(LOGITS, np.array([0, 3]))
