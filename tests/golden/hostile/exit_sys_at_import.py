"""Hostile: raises SystemExit(0) while being imported (a clean-looking exit)."""
# expect: COMPILE_ERROR
import sys

sys.exit(0)


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    raise NotImplementedError
