"""Hostile: returns a generator (and a lazily-evaluated iterator) instead of arrays."""
# expect: WRONG_ANSWER
import numpy as np


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    return (row for row in np.zeros((k, X.shape[-1]))), map(int, range(len(X)))
