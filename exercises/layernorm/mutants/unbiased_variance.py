"""Wrong: normalizes with the unbiased variance (divides by H - 1)."""

import numbers

import numpy as np


def _prepare(x, gamma, eps):
    """float64 x and gamma, and the normalized axes (the last gamma.ndim axes of x)."""
    x = np.asarray(x, dtype=np.float64)
    gamma = np.asarray(gamma, dtype=np.float64)
    if gamma.ndim == 0 or gamma.ndim > x.ndim or x.shape[x.ndim - gamma.ndim :] != gamma.shape:
        raise ValueError(
            f"gamma's shape {gamma.shape} must be the trailing shape of x {x.shape} (at least 1-D)"
        )
    if isinstance(eps, bool) or not isinstance(eps, numbers.Real) or not eps > 0:
        raise ValueError(f"eps must be a positive number, got {eps!r}")
    return x, gamma, tuple(range(x.ndim - gamma.ndim, x.ndim))


def _normalize(x, axes, eps):
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    # Two-pass variance (mean of squared deviations): no cancellation for large offsets.
    count = np.prod([x.shape[a] for a in axes])
    variance = (centered * centered).sum(axis=axes, keepdims=True) / max(count - 1, 1)
    inv_std = 1.0 / np.sqrt(variance + eps)
    return centered * inv_std, inv_std


def layernorm_forward(x, gamma, beta, *, eps=1e-5):
    x, gamma, axes = _prepare(x, gamma, eps)
    beta = np.asarray(beta, dtype=np.float64)
    if beta.shape != gamma.shape:
        raise ValueError(f"beta must have gamma's shape {gamma.shape}, got {beta.shape}")
    x_hat, _ = _normalize(x, axes, eps)
    return x_hat * gamma + beta


def layernorm_backward(grad_out, x, gamma, *, eps=1e-5):
    x, gamma, axes = _prepare(x, gamma, eps)
    grad_out = np.asarray(grad_out, dtype=np.float64)
    if grad_out.shape != x.shape:
        raise ValueError(f"grad_out has shape {grad_out.shape} but x has shape {x.shape}")
    x_hat, inv_std = _normalize(x, axes, eps)
    batch_axes = tuple(range(x.ndim - gamma.ndim))
    dbeta = grad_out.sum(axis=batch_axes)
    dgamma = (grad_out * x_hat).sum(axis=batch_axes)
    g = grad_out * gamma  # dL/dx_hat
    dx = inv_std * (
        g - g.mean(axis=axes, keepdims=True) - x_hat * (g * x_hat).mean(axis=axes, keepdims=True)
    )
    return dx, dgamma, dbeta
