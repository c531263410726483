"""Hostile: never finishes importing."""
# expect: TIME_LIMIT_EXCEEDED
import time

time.sleep(86400)


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    return None, None
