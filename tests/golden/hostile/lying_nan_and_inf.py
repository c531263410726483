"""Hostile: NaN centroids (NaN compares unequal, so 'no difference' checks can pass) and inf."""
# expect: WRONG_ANSWER
import numpy as np


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    centroids = np.full((k, X.shape[-1]), np.nan)
    centroids[0] = np.inf
    return centroids, np.zeros(len(X), dtype=np.int64)
