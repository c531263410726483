import numpy as np


def predict_proba(params, X):
    """Return the class probabilities, an array of shape (n, n_classes).

    params: a list of (W, b), W of shape (d_in, d_out) and b of shape (d_out,), one per layer.
    Every layer but the last is followed by a ReLU; the last one by a softmax over classes.
    """
    raise NotImplementedError("implement predict_proba")


def predict(params, X):
    """Return the predicted class of every row of X: an integer array of shape (n,)."""
    raise NotImplementedError("implement predict")


def train(X, y, *, n_classes=10, seed=0):
    """Train an MLP on (X, y) and return its params, a list of (W, b) for predict_proba.

    X: float array of shape (n, d), features in [0, 1]; y: integer labels in [0, n_classes).
    Use np.random.default_rng(seed) for all randomness: the same seed gives the same params.
    """
    raise NotImplementedError("implement train")
