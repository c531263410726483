"""Hostile: starts threads until the pids limit stops it."""
# expect: RUNTIME_ERROR
import threading
import time


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    while True:
        threading.Thread(target=time.sleep, args=(3600,), daemon=True).start()
