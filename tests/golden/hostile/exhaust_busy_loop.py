"""Hostile: spins forever."""
# expect: TIME_LIMIT_EXCEEDED


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    while True:
        pass
