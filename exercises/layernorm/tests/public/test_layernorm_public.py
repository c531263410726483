"""Public tests for layernorm: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

X = np.array([[1.0, 2.0, 3.0], [10.0, 10.0, 40.0]])
GAMMA, BETA = np.array([1.0, 2.0, 0.5]), np.array([0.0, 0.0, 1.0])


def test_forward_on_the_example_of_the_statement(solution):
    """Each row is normalized with its own mean and biased variance, then scaled and shifted."""
    out = solution.layernorm_forward(X, GAMMA, BETA)
    assert isinstance(out, np.ndarray), f"expected a numpy array, got {type(out).__name__}"
    assert out.shape == (2, 3), f"expected the shape of x (2, 3), got {out.shape}"
    expected = (X - X.mean(axis=1, keepdims=True)) / np.sqrt(X.var(axis=1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(out, expected * GAMMA + BETA, rtol=1e-7)


def test_a_two_dimensional_normalized_shape(solution):
    """gamma of shape (3, 4): each sample is normalized over its last two axes together."""
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    out = solution.layernorm_forward(x, np.ones((3, 4)), np.zeros((3, 4)))
    mean = x.mean(axis=(1, 2), keepdims=True)
    var = x.var(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out, (x - mean) / np.sqrt(var + 1e-5), rtol=1e-7)


def test_backward_shapes_and_the_parameter_gradients(solution):
    """dgamma and dbeta have gamma's shape and are summed over the samples."""
    rng = np.random.default_rng(1)
    x, grad_out = rng.normal(size=(4, 3, 5)), rng.normal(size=(4, 3, 5))
    dx, dgamma, dbeta = solution.layernorm_backward(grad_out, x, np.ones(5))
    assert dx.shape == x.shape, f"dx must have shape {x.shape}, got {dx.shape}"
    assert dgamma.shape == (5,), f"dgamma must have shape (5,), got {dgamma.shape}"
    x_hat = (x - x.mean(axis=-1, keepdims=True)) / np.sqrt(x.var(axis=-1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(dbeta, grad_out.sum(axis=(0, 1)), rtol=1e-7, err_msg="dbeta")
    np.testing.assert_allclose(dgamma, (grad_out * x_hat).sum(axis=(0, 1)), rtol=1e-7)


def test_a_constant_upstream_gradient_does_not_reach_x(solution):
    """The output of each sample always has mean beta: a constant grad_out gives dx = 0."""
    dx, _, _ = solution.layernorm_backward(np.ones((2, 3)), X, GAMMA * 0 + 1)
    np.testing.assert_allclose(dx, np.zeros((2, 3)), atol=1e-12)


def test_rejects_a_gamma_that_is_not_the_trailing_shape(solution):
    """gamma's shape must be the trailing shape of x."""
    with pytest.raises(ValueError):
        solution.layernorm_forward(X, np.ones(2), np.zeros(2))
