"""Hostile: returns ndarray subclasses that claim to equal anything.

`__eq__`, `__array_function__` and `__array_ufunc__` all lie, so np.allclose, np.array_equal
and == say True in a same-process grader. The codec refuses ndarray subclasses outright.
"""
# expect: WRONG_ANSWER
import numpy as np


class AlwaysEqual(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)

    def __array_function__(self, func, types, args, kwargs):
        return True

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return np.ones(np.broadcast(*[np.asarray(i) for i in inputs]).shape, dtype=bool)


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    centroids = np.zeros((k, X.shape[-1])).view(AlwaysEqual)
    labels = np.zeros(len(X), dtype=np.int64).view(AlwaysEqual)
    return centroids, labels
