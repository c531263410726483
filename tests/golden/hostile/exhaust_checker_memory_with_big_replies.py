"""Hostile: answers every call with a 200 MB array, hoping the checker keeps each failed test's
reply alive until it runs out of memory: a SANDBOX_ERROR is retried forever and never scored.
The checker collects each test's leftovers before the next test starts.
"""
# expect: WRONG_ANSWER
import numpy as np


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    return np.ones(25_000_000)
