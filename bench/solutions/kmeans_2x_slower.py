"""The reference K-Means doing all of its work twice: same results, about half the speed.

For bench/fast_verdicts.py: a solution 2x slower than the reference must be ranked slower in
every grading. The first pass's result is checked against the second so it cannot be skipped.
"""

import numbers

import numpy as np


def _squared_distances(X, centroids):
    x2 = (X * X).sum(axis=1)[:, None]
    c2 = (centroids * centroids).sum(axis=1)
    return np.maximum(x2 - 2.0 * (X @ centroids.T) + c2, 0.0)


def _seed(X, k, rng):
    n = X.shape[0]
    centroids = np.empty((k, X.shape[1]))
    centroids[0] = X[rng.integers(n)]
    nearest = ((X - centroids[0]) ** 2).sum(axis=1)
    for j in range(1, k):
        total = nearest.sum()
        index = rng.choice(n, p=nearest / total) if total > 0 else rng.integers(n)
        centroids[j] = X[index]
        nearest = np.minimum(nearest, ((X - centroids[j]) ** 2).sum(axis=1))
    return centroids


def _kmeans_once(X, k, max_iter, tol, seed):
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


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got {X.ndim} dimensions")
    n = X.shape[0]
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or not 1 <= k <= n:
        raise ValueError(f"k must be an integer in [1, {n}], got {k!r}")
    k = int(k)
    if seed is None:  # one draw for both passes
        seed = int(np.random.default_rng().integers(2**63))
    first = _kmeans_once(X, k, max_iter, tol, seed)
    second = _kmeans_once(X, k, max_iter, tol, seed)
    if not np.array_equal(first[0], second[0]):
        raise RuntimeError("two passes with the same seed disagree")
    return second
