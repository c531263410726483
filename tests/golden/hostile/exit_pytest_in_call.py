"""Hostile: pytest.exit(returncode=0) inside the function under test."""
# expect: RUNTIME_ERROR
import pytest


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    pytest.exit("all good", returncode=0)
