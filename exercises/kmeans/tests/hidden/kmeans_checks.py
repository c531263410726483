"""Data and checks shared by the hidden K-Means tests (runs in the checker only)."""

import numpy as np


def blobs(rng, n, k, d, *, spread=1.0, distance=10.0):
    """n points around k random centers; `distance` scales how far apart the centers are."""
    centers = rng.normal(scale=distance, size=(k, d))
    labels = rng.integers(k, size=n)
    return centers[labels] + rng.normal(scale=spread, size=(n, d))


def check_result(X, k, result):
    """Assert the contract's shapes and types; return (centroids, labels)."""
    assert isinstance(result, tuple), (
        f"kmeans must return a tuple (centroids, labels), got {type(result).__name__}"
    )
    assert len(result) == 2, f"kmeans must return (centroids, labels), got {len(result)} items"
    centroids, labels = result
    n, d = X.shape
    assert isinstance(centroids, np.ndarray), (
        f"centroids must be an ndarray, got {type(centroids).__name__}"
    )
    assert centroids.dtype == np.float64, f"centroids must be float64, got {centroids.dtype}"
    assert centroids.shape == (k, d), f"centroids must have shape {(k, d)}, got {centroids.shape}"
    assert np.isfinite(centroids).all(), "centroids contain NaN or inf"
    assert isinstance(labels, np.ndarray), f"labels must be an ndarray, got {type(labels).__name__}"
    assert labels.dtype.kind in "iu", f"labels must have an integer dtype, got {labels.dtype}"
    assert labels.shape == (n,), f"labels must have shape {(n,)}, got {labels.shape}"
    assert labels.min() >= 0, f"labels must be in [0, k), got {labels.min()}"
    assert labels.max() < k, f"labels must be in [0, {k}), got {labels.max()}"
    return centroids, labels


def squared_distances(X, centroids):
    return ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)


def check_nearest(X, centroids, labels):
    """Each label indexes a centroid at (numerically) minimal distance from its point."""
    d2 = squared_distances(X, centroids)
    chosen = d2[np.arange(len(X)), labels]
    best = d2.min(axis=1)
    worst = np.argmax(chosen - best)
    assert np.all(chosen <= best + 1e-9 * (1.0 + best)), (
        f"point {worst} is labelled {labels[worst]} but another returned centroid is nearer"
    )


def inertia(X, centroids, labels):
    return float(((X - centroids[labels]) ** 2).sum())
