"""Hostile: raises StopIteration, which would end a test's loop over map() or zip() early (as if
every case had been checked) if it reached the checker as a StopIteration."""
# expect: RUNTIME_ERROR


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    raise StopIteration
