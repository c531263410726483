"""Hostile: blocks reading stdin (a grader that leaves stdin open waits forever)."""
# expect: WRONG_ANSWER
import os
import sys


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    sys.stdin.read()
    os.read(0, 1)
    return None, None
