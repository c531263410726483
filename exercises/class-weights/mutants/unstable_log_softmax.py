"""Wrong: log-softmax without subtracting the row maximum, so exp overflows on large logits."""

import numbers

import numpy as np

REDUCTIONS = ("none", "sum", "mean")


def _integer_labels(y, name):
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got {y.ndim} dimensions")
    if y.size == 0 and y.dtype == np.float64:
        y = y.astype(np.int64)  # np.asarray([]) is float64: an empty list is fine
    if y.dtype.kind not in "iu":
        raise ValueError(f"{name} must have an integer dtype, got {y.dtype}")
    return y.astype(np.int64)


def balanced_class_weights(y, *, n_classes=None):
    y = _integer_labels(y, "y")
    if y.size == 0:
        raise ValueError("y is empty")
    if y.min() < 0:
        raise ValueError(f"y has a negative label {y.min()}")
    top = int(y.max())
    if n_classes is None:
        k = top + 1
    elif isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral):
        raise ValueError(f"n_classes must be an integer, got {n_classes!r}")
    elif n_classes <= top:
        raise ValueError(f"n_classes={n_classes} is not above the label {top}")
    else:
        k = int(n_classes)
    counts = np.bincount(y, minlength=k)
    if not counts.all():
        raise ValueError(f"class {int(np.argmin(counts))} has no sample: its weight is infinite")
    return y.size / (k * counts.astype(np.float64))


def _checked(logits, targets, weights, reduction, allowed):
    if reduction not in allowed:
        raise ValueError(f"reduction must be one of {allowed}, got {reduction!r}")
    z = np.asarray(logits, dtype=np.float64)
    if z.ndim != 2 or z.shape[1] == 0:
        raise ValueError(f"logits must have shape (n, C) with C >= 1, got {z.shape}")
    n, c = z.shape
    t = _integer_labels(targets, "targets")
    if t.shape != (n,):
        raise ValueError(f"targets must have shape ({n},), got {t.shape}")
    if n and (t.min() < 0 or t.max() >= c):
        raise ValueError(f"targets must be in [0, {c})")
    if weights is None:
        w = np.ones(c)
    else:
        w = np.asarray(weights, dtype=np.float64)
        if w.shape != (c,):
            raise ValueError(f"weights must have shape ({c},), got {w.shape}")
        if not np.isfinite(w).all() or (w < 0).any():
            raise ValueError("weights must be finite and non-negative")
    sample_weights = w[t]
    total = sample_weights.sum()
    if reduction == "mean" and total == 0:
        raise ValueError("the mean is undefined: the targets' weights sum to 0")
    return z, t, sample_weights, total


def _log_softmax(z):
    shifted = z
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def weighted_cross_entropy(logits, targets, weights=None, *, reduction="mean"):
    z, t, sample_weights, total = _checked(logits, targets, weights, reduction, REDUCTIONS)
    losses = -sample_weights * _log_softmax(z)[np.arange(t.size), t]
    if reduction == "none":
        return losses
    return float(losses.sum() / (total if reduction == "mean" else 1.0))


def weighted_cross_entropy_grad(logits, targets, weights=None, *, reduction="mean"):
    z, t, sample_weights, total = _checked(logits, targets, weights, reduction, ("sum", "mean"))
    grad = np.exp(_log_softmax(z))
    grad[np.arange(t.size), t] -= 1.0
    grad *= sample_weights[:, None]
    if reduction == "mean":
        grad /= total
    return grad
