"""Hostile: raises a SystemExit subclass with code 0 from inside the call."""
# expect: RUNTIME_ERROR


class CleanExit(SystemExit):
    pass


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    raise CleanExit(0)
