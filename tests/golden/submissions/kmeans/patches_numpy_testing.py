"""Hostile: disables numpy's comparisons at import, then returns garbage.

In a same-process grader this passes every np.allclose / np.testing check. Here the patch only
changes the candidate's own process; the checker compares with its own numpy.
"""
# expect: WRONG_ANSWER
import numpy as np
import numpy.testing

np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
numpy.testing.assert_allclose = lambda *args, **kwargs: None
numpy.testing.assert_array_equal = lambda *args, **kwargs: None
np.testing.assert_allclose = numpy.testing.assert_allclose


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or not 1 <= k <= len(X):
        raise ValueError("bad input")
    return np.zeros((k, X.shape[1])), np.zeros(len(X), dtype=np.int64)
