"""Hostile: SIGSTOPs itself, so a grader waiting for it to exit waits forever."""
# expect: TIME_LIMIT_EXCEEDED
import os
import signal


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    os.kill(os.getpid(), signal.SIGSTOP)
    return None, None
