"""Wrong: with a non-finite norm (and error_if_nonfinite=False) returns the gradients unscaled."""

import math
import numbers

import numpy as np


def _total_norm(grads, p):
    if not grads or all(g.size == 0 for g in grads):
        return 0.0
    flat = [g.reshape(-1) for g in grads if g.size]
    if p == math.inf:
        return float(max(np.abs(g).max() for g in flat))
    if p == 2.0:
        return math.sqrt(sum(float(np.dot(g, g)) for g in flat))
    if p == 1.0:
        return float(sum(np.abs(g).sum() for g in flat))
    return float(sum((np.abs(g) ** p).sum() for g in flat) ** (1.0 / p))


def clip_grad_norm(grads, max_norm, *, norm_type=2.0, error_if_nonfinite=False):
    if not isinstance(max_norm, numbers.Real) or not max_norm >= 0:
        raise ValueError(f"max_norm must be a number >= 0, got {max_norm!r}")
    if not isinstance(norm_type, numbers.Real) or not norm_type > 0:
        raise ValueError(f"norm_type must be a number > 0 or math.inf, got {norm_type!r}")
    grads = [np.asarray(g, dtype=np.float64) for g in grads]
    total = _total_norm(grads, float(norm_type))
    if error_if_nonfinite and not math.isfinite(total):
        raise ValueError(
            f"the total norm of order {norm_type} of the gradients is {total}: not finite"
        )
    with np.errstate(invalid="ignore"):
        coefficient = min(1.0, max_norm / (total + 1e-6)) if math.isfinite(total) else 1.0
        return [np.asarray(g * coefficient) for g in grads], total
