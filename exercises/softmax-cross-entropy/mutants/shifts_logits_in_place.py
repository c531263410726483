"""Wrong: subtracts the row maximum from the caller's logits in place."""

import numbers

import numpy as np

REDUCTIONS = ("mean", "sum")


def log_softmax(logits):
    logits = np.asarray(logits, dtype=np.float64)  # no copy for a float64 array
    if logits.ndim == 0:
        raise ValueError("logits must have at least one dimension (the classes, last)")
    if not np.isfinite(logits).all():
        raise ValueError("logits must be finite (no NaN or inf)")
    # Shift each row by its own maximum: exp never overflows and the largest term is exp(0) = 1,
    # so the log of the sum is never log(0).
    logits -= logits.max(axis=-1, keepdims=True, initial=-np.inf)
    shifted = logits
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax_cross_entropy(logits, targets, *, label_smoothing=0.0, reduction="mean"):
    logits = np.asarray(logits, dtype=np.float64)
    if logits.ndim != 2 or logits.shape[0] == 0 or logits.shape[1] == 0:
        raise ValueError(f"logits must have shape (N, C) with N, C >= 1, got {logits.shape}")
    n, classes = logits.shape
    targets = np.asarray(targets)
    if targets.dtype.kind not in "iu" or targets.shape != (n,):
        raise ValueError(
            f"targets must be {n} integer class indices, got {targets.dtype} {targets.shape}"
        )
    if targets.min() < 0 or targets.max() >= classes:
        raise ValueError(f"targets must be in [0, {classes}), got {targets.min()}..{targets.max()}")
    if (
        isinstance(label_smoothing, bool)
        or not isinstance(label_smoothing, numbers.Real)
        or not 0.0 <= label_smoothing <= 1.0
    ):
        raise ValueError(f"label_smoothing must be in [0, 1], got {label_smoothing!r}")
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")
    log_probs = log_softmax(logits)
    rows = np.arange(n)
    smoothing = float(label_smoothing)
    # Smoothed target q = (1 - s) * one_hot + s / C; loss_i = -sum_c q_c * log p_c.
    losses = -(1.0 - smoothing) * log_probs[rows, targets] - smoothing * log_probs.mean(axis=1)
    grad = np.exp(log_probs)
    grad -= smoothing / classes
    grad[rows, targets] -= 1.0 - smoothing
    if reduction == "mean":
        return float(losses.mean()), grad / n
    return float(losses.sum()), grad
