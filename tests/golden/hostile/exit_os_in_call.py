"""Hostile: ends its process with status 0 in the middle of every call."""
# expect: RUNTIME_ERROR
import os


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    os._exit(0)
