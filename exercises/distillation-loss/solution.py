"""Reference distillation loss: T^2-scaled KL to the softened teacher plus hard-label CE."""

import math
import numbers

import numpy as np


def _logits(value, name):
    value = np.asarray(value, dtype=np.float64)
    if value.ndim != 2 or value.shape[0] == 0 or value.shape[1] == 0:
        raise ValueError(f"{name} must have shape (n, C) with n, C >= 1, got {value.shape}")
    if not np.isfinite(value).all():
        raise ValueError(f"{name} contains NaN or infinite values")
    return value


def _number(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def _log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def distillation_loss(student_logits, teacher_logits, labels, *, temperature=1.0, alpha=0.5):
    student = _logits(student_logits, "student_logits")
    teacher = _logits(teacher_logits, "teacher_logits")
    if teacher.shape != student.shape:
        raise ValueError(f"teacher_logits {teacher.shape} must match student {student.shape}")
    n, classes = student.shape
    labels = np.asarray(labels)
    if labels.shape != (n,) or labels.dtype.kind not in "iu":
        raise ValueError(f"labels must be {n} integers")
    if ((labels < 0) | (labels >= classes)).any():
        raise ValueError(f"labels must lie in [0, {classes})")
    temperature = _number(temperature, "temperature")
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}")
    alpha = _number(alpha, "alpha")
    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1], got {alpha}")

    log_q = _log_softmax(student / temperature)  # softened student
    log_p = _log_softmax(teacher / temperature)  # softened teacher
    p = np.exp(log_p)
    kl = float((p * (log_p - log_q)).sum()) / n  # "batchmean": a sum over classes, mean over rows
    log_s = _log_softmax(student)  # the hard-label term uses the student at temperature 1
    rows = np.arange(n)
    cross_entropy = float(-log_s[rows, labels].sum()) / n
    loss = alpha * temperature**2 * kl + (1.0 - alpha) * cross_entropy

    soft = np.exp(log_q) - p  # d KL / d (student / T), per row
    hard = np.exp(log_s)
    hard[rows, labels] -= 1.0
    grad = (alpha * temperature * soft + (1.0 - alpha) * hard) / n
    return loss, grad
