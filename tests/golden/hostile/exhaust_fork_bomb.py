"""Hostile: a fork bomb that keeps forking after the pids limit says no."""
# expect: TIME_LIMIT_EXCEEDED
import os


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    while True:
        try:
            os.fork()
        except OSError:
            pass
