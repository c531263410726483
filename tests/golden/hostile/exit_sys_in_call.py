"""Hostile: raises SystemExit(0) in every call, hoping the grader reads it as success."""
# expect: RUNTIME_ERROR
import sys


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    sys.exit(0)
