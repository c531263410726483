"""Hostile: nested lists of int and float subclasses that compare equal to anything."""
# expect: WRONG_ANSWER
import numpy as np


class Int(int):
    def __eq__(self, other):
        return True

    __hash__ = int.__hash__


class Float(float):
    def __eq__(self, other):
        return True

    def __le__(self, other):
        return True

    __hash__ = float.__hash__


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    centroids = [[Float(0.0)] * X.shape[-1] for _ in range(k)]
    return centroids, [Int(0)] * len(X)
