"""Wrong: the scale is a NumPy float64 scalar, which promotes float32 results to float64."""

import numbers

import numpy as np


def _check_p(p):
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be a real number in [0, 1], got {p!r}")
    return float(p)


def _as_float_array(x):
    x = np.asarray(x)
    if x.dtype.kind not in "biuf":
        raise ValueError(f"expected a real numeric array, got dtype {x.dtype}")
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _apply(values, keep, p):
    if p == 1.0:
        return np.zeros_like(values)
    # Multiplying by the mask (rather than np.where) keeps the NaN and inf of kept entries;
    # np.asarray because arithmetic on 0-d arrays returns NumPy scalars.
    return np.asarray(values * keep * (np.float64(1.0) / (1.0 - p)))


def dropout_forward(x, p, *, training=True, seed=None):
    p = _check_p(p)
    x = _as_float_array(x)
    if not training:
        return x.copy(), None
    rng = np.random.default_rng(seed)
    keep = np.asarray(rng.random(x.shape) >= p)
    return _apply(x, keep, p), keep


def dropout_backward(grad_out, mask, p):
    p = _check_p(p)
    grad_out = _as_float_array(grad_out)
    if mask is None:
        return grad_out.copy()
    mask = np.asarray(mask)
    if mask.dtype != np.bool_:
        raise ValueError(f"mask must be a boolean array, got dtype {mask.dtype}")
    if mask.shape != grad_out.shape:
        raise ValueError(f"mask has shape {mask.shape} but grad_out has shape {grad_out.shape}")
    return _apply(grad_out, mask, p)
