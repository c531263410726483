import numpy as np


def distillation_loss(student_logits, teacher_logits, labels, *, temperature=1.0, alpha=0.5):
    """Return (loss, grad): the distillation loss of the statement and d loss / d student_logits.

    loss = alpha * T**2 * KL(softmax(teacher / T) || softmax(student / T)), averaged over rows,
         + (1 - alpha) * cross-entropy(student, labels), averaged over rows.
    grad: a float64 array of the shape (n, C) of student_logits.
    """
    raise NotImplementedError("implement distillation_loss")
