"""Golden submission for distillation-loss: correct, written differently from the reference (scipy's softmax and log_softmax)."""

# expect: ACCEPTED

import math
import numpy as np
from scipy.special import log_softmax, softmax

def distillation_loss(student_logits, teacher_logits, labels, *, temperature=1.0, alpha=0.5):
    s = np.array(student_logits, dtype=float); t = np.array(teacher_logits, dtype=float)
    if s.ndim != 2 or s.shape != t.shape or 0 in s.shape:
        raise ValueError("shape")
    if not (np.isfinite(s).all() and np.isfinite(t).all()):
        raise ValueError("finite")
    y = np.asarray(labels)
    if y.dtype.kind not in "iu" or y.shape != (s.shape[0],) or (y < 0).any() or (y >= s.shape[1]).any():
        raise ValueError("labels")
    for v in (temperature, alpha):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError("num")
    if temperature <= 0 or not 0 <= alpha <= 1:
        raise ValueError("range")
    T = float(temperature); n = s.shape[0]
    total = 0.0; grad = np.empty_like(s)
    for i in range(n):
        lq = log_softmax(s[i] / T); lp = log_softmax(t[i] / T); p = softmax(t[i] / T)
        kl = np.sum(np.where(p > 0, p * (lp - lq), 0.0))
        ls = log_softmax(s[i])
        total += alpha * T * T * kl - (1 - alpha) * ls[y[i]]
        onehot = np.zeros(s.shape[1]); onehot[y[i]] = 1
        grad[i] = alpha * T * (softmax(s[i] / T) - p) + (1 - alpha) * (softmax(s[i]) - onehot)
    return total / n, grad / n
