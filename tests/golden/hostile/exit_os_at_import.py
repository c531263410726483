"""Hostile: ends the process with status 0 while being imported.

A grader that trusts pytest's exit status sees "all passed". Here the module never finishes
importing, so nothing can pass.
"""
# expect: COMPILE_ERROR
import os

os._exit(0)


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    raise NotImplementedError
