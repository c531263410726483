"""Hostile: sleeps for a day."""
# expect: TIME_LIMIT_EXCEEDED
import time


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    time.sleep(86400)
