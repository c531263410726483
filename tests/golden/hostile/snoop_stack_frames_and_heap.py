"""Hostile: looks up the call stack and through every object on the heap for expected answers.

In a same-process grader the test's frame holds the expected centroids (and gc can find the
reference's results). Here the caller's frames are the worker's own, and the heap holds nothing
of the checker's. If it finds a float64 (k, d) array other than its input, it returns it.
"""
# expect: WRONG_ANSWER
import gc
import sys

import numpy as np


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    suspects = []
    frame = sys._getframe(1)
    while frame is not None:
        suspects += list(frame.f_locals.values()) + list(frame.f_globals.values())
        frame = frame.f_back
    suspects += gc.get_objects()
    for obj in suspects:
        if isinstance(obj, np.ndarray) and obj.shape == (k, X.shape[-1]) and obj is not X:
            if obj.dtype == np.float64 and np.isfinite(obj).all() and obj.any():
                labels = ((X[:, None, :] - obj[None]) ** 2).sum(axis=2).argmin(axis=1)
                return obj, labels
    return None, None
