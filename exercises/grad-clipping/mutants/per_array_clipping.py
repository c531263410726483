"""Wrong: clips every array by its own norm instead of all of them by the global norm."""

import math
import numbers

import numpy as np


def _norm(g, p):
    if g.size == 0:
        return 0.0
    if p == math.inf:
        return float(np.abs(g).max())
    return float((np.abs(g) ** p).sum() ** (1.0 / p))


def clip_grad_norm(grads, max_norm, *, norm_type=2.0, error_if_nonfinite=False):
    if not isinstance(max_norm, numbers.Real) or not max_norm >= 0:
        raise ValueError(f"max_norm must be a number >= 0, got {max_norm!r}")
    if not isinstance(norm_type, numbers.Real) or not norm_type > 0:
        raise ValueError(f"norm_type must be a number > 0 or math.inf, got {norm_type!r}")
    grads = [np.asarray(g, dtype=np.float64) for g in grads]
    norms = [_norm(g, float(norm_type)) for g in grads]
    if norm_type == math.inf:
        total = max(norms, default=0.0)
    else:
        total = sum(n**norm_type for n in norms) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise ValueError(f"the total norm is {total}: not finite")
    clipped = []
    with np.errstate(invalid="ignore"):
        for g, n in zip(grads, norms, strict=True):
            c = min(1.0, max_norm / (n + 1e-6)) if not math.isnan(n) else math.nan
            clipped.append(np.asarray(g * c))
    return clipped, float(total)
