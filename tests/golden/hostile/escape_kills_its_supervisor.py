"""Hostile: kills the process that supervises it, then every process it can signal.

The supervisor is PID 1 of the candidate's container: the kernel does not deliver signals to
a namespace's init from inside it, so both kills miss, and the worker just returns garbage.
"""
# expect: WRONG_ANSWER
import os
import signal


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    try:
        os.kill(os.getppid(), signal.SIGKILL)
        os.kill(-1, signal.SIGKILL)
    except OSError:
        pass
    return None, None
