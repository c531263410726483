"""Hostile: pytest.exit(returncode=0) at import: a same-process pytest run would end 'green'."""
# expect: COMPILE_ERROR
import pytest

pytest.exit("all good", returncode=0)


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    return None, None
