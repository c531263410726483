"""Hostile: kills its own process with SIGKILL, to look like an infrastructure failure."""
# expect: RUNTIME_ERROR
import os
import signal


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    os.kill(os.getpid(), signal.SIGKILL)
