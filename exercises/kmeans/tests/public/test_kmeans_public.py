"""Public tests for kmeans: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest


def test_returns_centroids_and_labels_of_the_right_shapes(solution):
    """Two tight pairs of points: shapes, dtypes and the obvious clustering."""
    X = np.array([[0.0, 0.0], [0.1, 0.0], [10.0, 10.0], [10.1, 10.0]])
    centroids, labels = solution.kmeans(X, 2, seed=0)
    assert centroids.shape == (2, 2), f"centroids: expected shape (2, 2), got {centroids.shape}"
    assert centroids.dtype == np.float64, f"centroids: expected float64, got {centroids.dtype}"
    assert labels.shape == (4,), f"labels: expected shape (4,), got {labels.shape}"
    assert labels.dtype.kind in "iu", f"labels: expected an integer dtype, got {labels.dtype}"
    assert labels[0] == labels[1], f"points 0 and 1 should share a cluster, got {labels}"
    assert labels[2] == labels[3], f"points 2 and 3 should share a cluster, got {labels}"
    assert labels[0] != labels[2], f"the two pairs should be in different clusters, got {labels}"
    np.testing.assert_allclose(sorted(centroids[:, 0]), [0.05, 10.05])


def test_max_iter_zero_returns_data_points_as_seeds(solution):
    """With max_iter=0 every centroid is one of the points of X."""
    X = np.random.default_rng(0).normal(size=(30, 2))
    centroids, _ = solution.kmeans(X, 3, max_iter=0, seed=1)
    for c in centroids:
        assert np.any(np.all(c == X, axis=1)), f"{c} is not a point of X"


def test_the_same_seed_gives_the_same_result(solution):
    """Same seed, same answer."""
    X = np.random.default_rng(1).normal(size=(50, 3))
    a = solution.kmeans(X, 4, seed=7)
    b = solution.kmeans(X, 4, seed=7)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_rejects_one_dimensional_input(solution):
    """X must be 2-D."""
    with pytest.raises(ValueError):
        solution.kmeans(np.zeros(4), 2)


def test_rejects_k_larger_than_n(solution):
    """k must be in [1, n]."""
    with pytest.raises(ValueError):
        solution.kmeans(np.zeros((3, 2)), 4)
