"""Hostile: allocates and touches memory until the kernel stops it."""
# expect: MEMORY_LIMIT_EXCEEDED


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    hoard = []
    while True:
        hoard.append(bytearray(b"x" * (64 * 1024 * 1024)))
