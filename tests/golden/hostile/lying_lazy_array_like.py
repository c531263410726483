"""Hostile: an array-like with __array__, __array_interface__ and __len__ that computes late.

np.asarray() in a same-process checker would call back into candidate code at comparison time.
"""
# expect: WRONG_ANSWER
import numpy as np


class Lazy:
    def __init__(self, shape, dtype):
        self.shape, self.dtype, self.ndim = shape, np.dtype(dtype), len(shape)

    def __array__(self, dtype=None, copy=None):
        return np.zeros(self.shape, dtype=dtype or self.dtype)

    @property
    def __array_interface__(self):
        return np.zeros(self.shape, dtype=self.dtype).__array_interface__

    def __len__(self):
        return self.shape[0]

    def __eq__(self, other):
        return True


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    return Lazy((k, X.shape[-1]), np.float64), Lazy((len(X),), np.int64)
