"""Wrong: lets PyTorch autograd compute the gradient, which the exercise bans."""

import math
import numbers

import numpy as np
import torch
import torch.nn.functional as F


def distillation_loss(student_logits, teacher_logits, labels, *, temperature=1.0, alpha=0.5):
    student = np.asarray(student_logits, dtype=np.float64)
    teacher = np.asarray(teacher_logits, dtype=np.float64)
    if student.ndim != 2 or student.shape != teacher.shape or 0 in student.shape:
        raise ValueError("logits must be (n, C) of one shape")
    if not (np.isfinite(student).all() and np.isfinite(teacher).all()):
        raise ValueError("logits must be finite")
    labels = np.asarray(labels)
    n, classes = student.shape
    if labels.shape != (n,) or labels.dtype.kind not in "iu":
        raise ValueError("bad labels")
    if ((labels < 0) | (labels >= classes)).any():
        raise ValueError("labels out of range")
    for value in (temperature, alpha):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
            raise ValueError("temperature and alpha must be finite numbers")
    if temperature <= 0 or not 0 <= alpha <= 1:
        raise ValueError("temperature must be > 0 and alpha in [0, 1]")
    s = torch.tensor(student, requires_grad=True)
    t = torch.tensor(teacher)
    soft = F.kl_div(
        F.log_softmax(s / temperature, dim=1),
        F.log_softmax(t / temperature, dim=1),
        reduction="batchmean",
        log_target=True,
    )
    loss = alpha * temperature**2 * soft + (1 - alpha) * F.cross_entropy(s, torch.tensor(labels))
    loss.backward()
    return float(loss.detach()), s.grad.numpy()
