"""Public tests for batchnorm: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

X = np.array([[1.0, 10.0], [3.0, 20.0], [5.0, 60.0]])
ONES, ZEROS = np.ones(2), np.zeros(2)


def test_training_forward_on_the_example_of_the_statement(solution):
    """Each channel is normalized with its batch mean and biased variance."""
    out, _, _ = solution.batchnorm_forward(X, ONES, ZEROS, ZEROS, ONES)
    assert isinstance(out, np.ndarray), f"out must be a numpy array, got {type(out).__name__}"
    assert out.shape == (3, 2), f"out must have the shape of x (3, 2), got {out.shape}"
    expected = (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + 1e-5)
    np.testing.assert_allclose(out, expected, rtol=1e-7, err_msg="out")


def test_running_statistics_use_momentum_and_the_unbiased_variance(solution):
    """0.9 * old + 0.1 * batch, with the unbiased batch variance for running_var."""
    _, mean, var = solution.batchnorm_forward(X, ONES, ZEROS, ZEROS, ONES)
    np.testing.assert_allclose(mean, [0.3, 3.0], rtol=1e-7, err_msg="new_running_mean")
    np.testing.assert_allclose(var, [1.3, 70.9], rtol=1e-7, err_msg="new_running_var")


def test_evaluation_mode_uses_the_running_statistics(solution):
    """training=False: (x - running_mean) / sqrt(running_var + eps) * gamma + beta."""
    gamma, beta = np.array([2.0, 0.5]), np.array([1.0, -1.0])
    rm, rv = np.array([1.0, 20.0]), np.array([4.0, 100.0])
    out, mean, var = solution.batchnorm_forward(X, gamma, beta, rm, rv, training=False, eps=0.5)
    np.testing.assert_allclose(out, (X - rm) / np.sqrt(rv + 0.5) * gamma + beta, rtol=1e-7)
    np.testing.assert_array_equal(mean, rm, err_msg="running_mean must be returned unchanged")
    np.testing.assert_array_equal(var, rv, err_msg="running_var must be returned unchanged")


def test_backward_shapes_and_the_bias_gradient(solution):
    """dx has the shape of x, dgamma and dbeta (C,); dbeta sums grad_out per channel."""
    rng = np.random.default_rng(0)
    x, grad_out = rng.normal(size=(4, 3, 5)), rng.normal(size=(4, 3, 5))
    dx, dgamma, dbeta = solution.batchnorm_backward(grad_out, x, np.ones(3))
    assert dx.shape == x.shape, f"dx must have shape {x.shape}, got {dx.shape}"
    assert dgamma.shape == (3,), f"dgamma must have shape (3,), got {dgamma.shape}"
    np.testing.assert_allclose(dbeta, grad_out.sum(axis=(0, 2)), rtol=1e-7, err_msg="dbeta")


def test_rejects_a_single_sample_in_training(solution):
    """Training needs more than one value per channel."""
    with pytest.raises(ValueError):
        solution.batchnorm_forward(X[:1], ONES, ZEROS, ZEROS, ONES)
