"""Public tests for grad-clipping: run them with "Run". The hidden suite checks much more."""

import math

import numpy as np
import pytest

GRADS = [np.array([3.0, 0.0]), np.array([[4.0]])]  # total 2-norm: 5


def test_clips_the_example_of_the_statement(solution):
    """Total norm 5, max_norm 1: every gradient scaled by 1 / (5 + 1e-6)."""
    clipped, total = solution.clip_grad_norm(GRADS, 1.0)
    assert isinstance(total, float), f"total_norm must be a float, got {type(total).__name__}"
    np.testing.assert_allclose(total, 5.0, rtol=1e-12)
    assert isinstance(clipped, list) and len(clipped) == 2, f"expected a list of 2, got {clipped}"
    np.testing.assert_allclose(clipped[0], [3.0 / (5 + 1e-6), 0.0], rtol=1e-9)
    np.testing.assert_allclose(clipped[1], [[4.0 / (5 + 1e-6)]], rtol=1e-9)


def test_leaves_gradients_below_max_norm_unchanged(solution):
    """max_norm 10 > 5: c = 1."""
    clipped, _ = solution.clip_grad_norm(GRADS, 10.0)
    np.testing.assert_array_equal(clipped[0], GRADS[0])
    np.testing.assert_array_equal(clipped[1], GRADS[1])


def test_the_inf_norm_is_the_largest_absolute_entry(solution):
    """norm_type=math.inf: max |g| over every gradient."""
    _, total = solution.clip_grad_norm(
        [np.array([1.0, -7.0]), np.array(2.0)], 1.0, norm_type=math.inf
    )
    np.testing.assert_allclose(total, 7.0, rtol=1e-12)


def test_no_gradients_give_a_zero_norm(solution):
    """An empty list: ([], 0.0)."""
    clipped, total = solution.clip_grad_norm([], 1.0)
    assert clipped == [] and total == 0.0, f"expected ([], 0.0), got {(clipped, total)}"


def test_error_if_nonfinite_raises_value_error(solution):
    """An infinite gradient entry with error_if_nonfinite=True."""
    with pytest.raises(ValueError):
        solution.clip_grad_norm([np.array([1.0, np.inf])], 1.0, error_if_nonfinite=True)
