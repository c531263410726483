"""Hostile: leaves a daemon behind: double fork, new session, SIGTERM/SIGHUP ignored, and a loop
that burns CPU and writes files for as long as it lives. It must not outlive the job.
"""
# expect: WRONG_ANSWER
import os
import signal
import time


def daemonize():
    if os.fork() > 0:
        return
    os.setsid()
    if os.fork() > 0:
        os._exit(0)
    for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        try:
            with open("/tmp/still-alive", "w") as f:
                f.write(str(time.time()))
        except OSError:
            pass
        sum(range(100000))


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    daemonize()
    return None, None
