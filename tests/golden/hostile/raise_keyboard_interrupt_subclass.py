"""Hostile: raises a KeyboardInterrupt subclass, which a careless harness lets stop the run."""
# expect: RUNTIME_ERROR


class Interrupted(KeyboardInterrupt):
    pass


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    raise Interrupted()
