"""Timing cheat: sabotages the reference. Five helper processes burn the CPU core the reference
shares with the candidate, and the candidate pauses them while its own call runs, so only the
reference is slowed. Appended to an honest loop-based kmeans (its `# base:`), it must score no
better on speed: the supervisor freezes every candidate process while the reference is timed.
"""
# expect: ACCEPTED
# base: tests/golden/submissions/kmeans/loop_based.py
import os as _os
import signal as _signal

_helpers = []
for _ in range(5):
    _pid = _os.fork()
    if _pid == 0:
        while True:
            pass
    _helpers.append(_pid)

_honest_kmeans = kmeans


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    for pid in _helpers:
        _os.kill(pid, _signal.SIGSTOP)
    try:
        return _honest_kmeans(X, k, max_iter=max_iter, tol=tol, seed=seed)
    finally:
        for pid in _helpers:
            _os.kill(pid, _signal.SIGCONT)
