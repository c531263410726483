import numpy as np


def log_softmax(logits):
    """Return log(softmax(logits)) along the last axis, as float64, accurate for huge logits."""
    raise NotImplementedError("implement log_softmax")


def softmax_cross_entropy(logits, targets, *, label_smoothing=0.0, reduction="mean"):
    """Return (loss, grad) for (N, C) logits and N integer targets, like torch's cross_entropy.

    The smoothed target is (1 - label_smoothing) * one_hot + label_smoothing / C; reduction is
    "mean" or "sum". loss is a float, grad = d loss / d logits of shape (N, C).
    """
    raise NotImplementedError("implement softmax_cross_entropy")
