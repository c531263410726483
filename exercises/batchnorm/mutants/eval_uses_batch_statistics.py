"""Wrong: in evaluation mode normalizes with the batch statistics (but keeps the running ones)."""

import numbers

import numpy as np


def _axes(x):
    if x.ndim not in (2, 3):
        raise ValueError(f"x must have shape (N, C) or (N, C, L), got {x.ndim} dimensions")
    return (0,) if x.ndim == 2 else (0, 2)


def _channel_vector(value, name, channels):
    value = np.asarray(value, dtype=np.float64)
    if value.shape != (channels,):
        raise ValueError(f"{name} must have shape ({channels},), got {value.shape}")
    return value


def _per_channel(vector, ndim):
    """A (C,) vector shaped to broadcast against (N, C) or (N, C, L)."""
    return vector if ndim == 2 else vector[:, None]


def _check_scalar(value, name, low, high, *, open_low=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    if not (low < value if open_low else low <= value) or not value <= high:
        raise ValueError(f"{name} must be in {'(' if open_low else '['}{low}, {high}], got {value}")
    return float(value)


def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, *, training=True, momentum=0.1, eps=1e-5
):
    x = np.asarray(x, dtype=np.float64)
    axes = _axes(x)
    channels = x.shape[1]
    gamma, beta, running_mean, running_var = (
        _channel_vector(v, name, channels)
        for v, name in (
            (gamma, "gamma"),
            (beta, "beta"),
            (running_mean, "running_mean"),
            (running_var, "running_var"),
        )
    )
    momentum = _check_scalar(momentum, "momentum", 0.0, 1.0)
    eps = _check_scalar(eps, "eps", 0.0, np.inf, open_low=True)
    if training:
        count = x.size // channels
        if count < 2:
            raise ValueError("training needs more than one value per channel")
        mean = x.mean(axis=axes)
        var = x.var(axis=axes)  # two-pass: no cancellation for large offsets
        new_mean = (1.0 - momentum) * running_mean + momentum * mean
        new_var = (1.0 - momentum) * running_var + momentum * var * (count / (count - 1))
    else:
        mean, var = x.mean(axis=axes), x.var(axis=axes)
        new_mean, new_var = running_mean.copy(), running_var.copy()
    scale = gamma / np.sqrt(var + eps)
    shift = beta - mean * scale
    out = x * _per_channel(scale, x.ndim) + _per_channel(shift, x.ndim)
    return out, new_mean, new_var


def batchnorm_backward(grad_out, x, gamma, *, eps=1e-5):
    x = np.asarray(x, dtype=np.float64)
    axes = _axes(x)
    grad_out = np.asarray(grad_out, dtype=np.float64)
    if grad_out.shape != x.shape:
        raise ValueError(f"grad_out has shape {grad_out.shape} but x has shape {x.shape}")
    channels = x.shape[1]
    gamma = _channel_vector(gamma, "gamma", channels)
    eps = _check_scalar(eps, "eps", 0.0, np.inf, open_low=True)
    count = x.size // channels
    if count < 2:
        raise ValueError("training needs more than one value per channel")
    mean = x.mean(axis=axes)
    inv_std = 1.0 / np.sqrt(x.var(axis=axes) + eps)
    x_hat = (x - _per_channel(mean, x.ndim)) * _per_channel(inv_std, x.ndim)
    dbeta = grad_out.sum(axis=axes)
    dgamma = (grad_out * x_hat).sum(axis=axes)
    # dx = gamma / sigma * (g - mean(g) - x_hat * mean(g * x_hat)), per channel.
    dx = _per_channel(gamma * inv_std, x.ndim) * (
        grad_out
        - _per_channel(dbeta / count, x.ndim)
        - x_hat * _per_channel(dgamma / count, x.ndim)
    )
    return dx, dgamma, dbeta
