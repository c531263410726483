"""Public tests for lr-schedules: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest


def test_step_lr_on_the_example_of_the_statement(solution):
    """The rate halves every 3 steps, starting at step 3."""
    got = solution.step_lr(0.1, 7, step_size=3, gamma=0.5)
    assert isinstance(got, np.ndarray), f"expected a numpy array, got {type(got).__name__}"
    np.testing.assert_allclose(got, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025], rtol=1e-9)


def test_exponential_lr_gives_one_column_per_group(solution):
    """Two base rates: shape (num_steps, 2), each column decays by gamma per step."""
    got = solution.exponential_lr([1.0, 0.1], 3, gamma=0.9)
    assert got.shape == (3, 2), f"expected shape (3, 2) (num_steps, groups), got {got.shape}"
    np.testing.assert_allclose(got, [[1.0, 0.1], [0.9, 0.09], [0.81, 0.081]], rtol=1e-9)


def test_warmup_cosine_on_the_example_of_the_statement(solution):
    """Linear warmup from 0.5 to 1.0 over 2 steps, then a cosine down to 0 at step 6."""
    got = solution.warmup_cosine_lr(1.0, 8, warmup_steps=2, total_steps=6, start_factor=0.5)
    c = 0.5 * (1 + np.cos(np.pi / 4))
    expected = [0.5, 0.75, 1.0, c, 0.5, 1 - c, 0.0, 1 - c]
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


def test_num_steps_zero_gives_an_empty_array(solution):
    """No steps, no rates."""
    got = solution.step_lr(0.1, 0, step_size=2)
    assert got.shape == (0,), f"expected shape (0,), got {got.shape}"


def test_rejects_total_steps_not_after_the_warmup(solution):
    """total_steps must exceed warmup_steps."""
    with pytest.raises(ValueError):
        solution.warmup_cosine_lr(0.1, 10, warmup_steps=5, total_steps=5)
