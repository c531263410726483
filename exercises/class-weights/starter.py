import numpy as np


def balanced_class_weights(y, *, n_classes=None):
    """float64 (K,) weights n / (K * n_k) for classes 0..K-1 (scikit-learn's "balanced")."""
    raise NotImplementedError("implement balanced_class_weights")


def weighted_cross_entropy(logits, targets, weights=None, *, reduction="mean"):
    """Class-weighted softmax cross-entropy, like torch F.cross_entropy(weight=...).

    reduction "none": (n,) per-sample losses; "sum": their sum; "mean": sum / total target weight.
    """
    raise NotImplementedError("implement weighted_cross_entropy")


def weighted_cross_entropy_grad(logits, targets, weights=None, *, reduction="mean"):
    """(n, C) gradient of the "sum" or "mean" weighted cross-entropy w.r.t. the logits."""
    raise NotImplementedError("implement weighted_cross_entropy_grad")
