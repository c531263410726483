"""Hostile: an ndarray subclass whose ufuncs (==, <=, isfinite, ...) answer all-True."""
# expect: WRONG_ANSWER
import numpy as np


class Yes(np.ndarray):
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        shapes = [np.shape(i) for i in inputs]
        return np.ones(np.broadcast_shapes(*shapes), dtype=bool)


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    return np.zeros((k, X.shape[-1])).view(Yes), np.zeros(len(X), dtype=np.int64).view(Yes)
