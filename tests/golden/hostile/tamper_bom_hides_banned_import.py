"""Hostile: a byte order mark before the code (so a naive UTF-8 reader fails to parse it and
skips the import check), then removes the runtime import hook and imports sklearn.cluster."""
# expect: WRONG_ANSWER
# must-fail: test_uses_only_allowed_imports
import sys

sys.meta_path[:] = [f for f in sys.meta_path if "Banned" not in type(f).__name__]
from sklearn.cluster import KMeans  # noqa: E402


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    return None, None
