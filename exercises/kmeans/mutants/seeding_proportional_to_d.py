"""Wrong: k-means++ draws the next seed with probability proportional to the distance D
instead of the squared distance D^2."""

import numbers

import numpy as np


def _squared_distances(X, centroids):
    # |x|^2 - 2 x.c + |c|^2: one matrix product instead of an (n, k, d) temporary.
    d2 = (X * X).sum(axis=1)[:, None] - 2.0 * (X @ centroids.T) + (centroids * centroids).sum(axis=1)
    return np.maximum(d2, 0.0)


def _seed(X, k, rng):
    n = X.shape[0]
    centroids = np.empty((k, X.shape[1]))
    centroids[0] = X[rng.integers(n)]
    nearest = ((X - centroids[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        distance = np.sqrt(nearest)
        total = distance.sum()
        index = rng.choice(n, p=distance / total) if total > 0 else rng.integers(n)
        centroids[j] = X[index]
        nearest = np.minimum(nearest, ((X - centroids[j]) ** 2).sum(axis=1))
    return centroids


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got {X.ndim} dimensions")
    n = X.shape[0]
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= n:
        raise ValueError(f"k must be an integer in [1, {n}], got {k!r}")
    k = int(k)
    rng = np.random.default_rng(seed)
    centroids = _seed(X, k, rng)
    for _ in range(max_iter):
        labels = _squared_distances(X, centroids).argmin(axis=1)
        counts = np.bincount(labels, minlength=k)
        sums = np.stack(
            [np.bincount(labels, weights=X[:, j], minlength=k) for j in range(X.shape[1])], axis=1
        )
        moved = centroids.copy()
        filled = counts > 0
        moved[filled] = sums[filled] / counts[filled, None]
        shift = np.sqrt(((moved - centroids) ** 2).sum(axis=1)).max()
        centroids = moved
        if shift <= tol:
            break
    labels = _squared_distances(X, centroids).argmin(axis=1)
    return centroids, labels
