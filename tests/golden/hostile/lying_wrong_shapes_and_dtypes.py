"""Hostile: broadcastable shapes and loose dtypes that sloppy comparisons accept."""
# expect: WRONG_ANSWER
import numpy as np


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    centroids = np.atleast_1d(X.mean(axis=0, dtype=np.float32))[None, :]  # (1, d): broadcasts
    labels = np.zeros((len(X), 1), dtype=np.float64)  # (n, 1) floats
    return centroids, labels
