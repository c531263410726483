"""Wrong: adds the noise to the mean of the clipped gradients instead of to their sum (the
noise is not divided by B)."""

import math

import numpy as np


def _check_grads(per_sample_grads):
    if not isinstance(per_sample_grads, (list, tuple)) or len(per_sample_grads) == 0:
        raise ValueError("per_sample_grads must be a non-empty list of arrays")
    grads = [np.asarray(g, dtype=np.float64) for g in per_sample_grads]
    if any(g.ndim == 0 for g in grads):
        raise ValueError("every per-sample gradient needs a leading batch dimension")
    batch = grads[0].shape[0]
    if batch == 0 or any(g.shape[0] != batch for g in grads):
        raise ValueError(
            f"batch sizes must agree and be positive, got {[g.shape[0] for g in grads]}"
        )
    if not all(np.isfinite(g).all() for g in grads):
        raise ValueError("per-sample gradients must be finite")
    return grads, batch


def _positive(value, name, *, allow_zero=False):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero):
        raise ValueError(f"{name} must be a finite number {'>=' if allow_zero else '>'} 0")
    return number


def _clip(grads, max_norm):
    batch = grads[0].shape[0]
    squares = sum((g.reshape(batch, -1) ** 2).sum(axis=1) for g in grads)
    norms = np.sqrt(squares)
    # min(1, C / n), and 1 where n == 0 (nothing to clip, and no 0 / 0).
    factors = np.minimum(1.0, max_norm / np.where(norms > 0, norms, 1.0))
    factors[norms == 0] = 1.0
    clipped = [g * factors.reshape((batch,) + (1,) * (g.ndim - 1)) for g in grads]
    return clipped, norms


def clip_per_sample(per_sample_grads, max_norm):
    grads, _ = _check_grads(per_sample_grads)
    return _clip(grads, _positive(max_norm, "max_norm"))


def privatize(per_sample_grads, *, max_norm, noise_multiplier, rng):
    grads, batch = _check_grads(per_sample_grads)
    max_norm = _positive(max_norm, "max_norm")
    std = _positive(noise_multiplier, "noise_multiplier", allow_zero=True) * max_norm
    rng = np.random.default_rng(rng)
    clipped, _ = _clip(grads, max_norm)
    # np.asarray: for a scalar parameter, NumPy would return a float64 scalar, not a 0-d array.
    return [
        np.asarray(c.sum(axis=0) / batch + rng.normal(0.0, std, size=c.shape[1:]))
        for c in clipped
    ]


def dp_sgd_step(params, per_sample_grads, *, lr, max_norm, noise_multiplier, rng):
    params = [np.asarray(p, dtype=np.float64) for p in params]
    grads, _ = _check_grads(per_sample_grads)
    if len(params) != len(grads) or any(
        p.shape != g.shape[1:] for p, g in zip(params, grads, strict=True)
    ):
        raise ValueError("params and per-sample gradients do not match")
    noisy = privatize(grads, max_norm=max_norm, noise_multiplier=noise_multiplier, rng=rng)
    return [np.asarray(p - lr * g) for p, g in zip(params, noisy, strict=True)]
