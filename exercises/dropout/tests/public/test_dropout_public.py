"""Public tests for dropout: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

X = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])


def test_the_example_of_the_statement(solution):
    """p = 0.5, seed 0: the mask, the scaled output and the gradient of the statement."""
    out, mask = solution.dropout_forward(X, 0.5, seed=0)
    expected_mask = np.array([[True, False, False], [False, True, True]])
    assert isinstance(mask, np.ndarray) and mask.dtype == np.bool_, (
        f"mask must be a boolean numpy array, got {getattr(mask, 'dtype', type(mask).__name__)}"
    )
    np.testing.assert_array_equal(mask, expected_mask, err_msg="mask (True = kept)")
    np.testing.assert_allclose(out, [[2.0, 0.0, 0.0], [0.0, 10.0, 12.0]], rtol=1e-12)
    grad = solution.dropout_backward(np.ones((2, 3)), mask, 0.5)
    np.testing.assert_allclose(grad, [[2.0, 0.0, 0.0], [0.0, 2.0, 2.0]], rtol=1e-12)


def test_the_mask_comes_from_default_rng(solution):
    """mask == np.random.default_rng(seed).random(x.shape) >= p."""
    x = np.random.default_rng(1).normal(size=(50, 20))
    _, mask = solution.dropout_forward(x, 0.3, seed=42)
    expected = np.random.default_rng(42).random(x.shape) >= 0.3
    np.testing.assert_array_equal(mask, expected, err_msg="the mask of seed 42, p = 0.3")


def test_evaluation_mode_is_the_identity(solution):
    """training=False: the values of x and no mask."""
    out, mask = solution.dropout_forward(X, 0.5, training=False)
    assert mask is None, f"with training=False the mask must be None, got {mask!r}"
    np.testing.assert_array_equal(out, X)


def test_float32_input_gives_float32_output(solution):
    """The dtype of a floating-point x is kept."""
    out, _ = solution.dropout_forward(X.astype(np.float32), 0.25, seed=3)
    assert out.dtype == np.float32, f"expected float32, got {out.dtype}"


def test_rejects_p_outside_zero_one(solution):
    """p must be in [0, 1]."""
    with pytest.raises(ValueError):
        solution.dropout_forward(X, 1.5, seed=0)
