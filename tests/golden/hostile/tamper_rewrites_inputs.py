"""Hostile: rewrites its input in place so that a trivial answer fits it.

Zeroing X makes 'all centroids at 0, every label 0' a perfect clustering of the rewritten data.
The checker verifies against its own pristine copy of the input.
"""
# expect: WRONG_ANSWER
# All-equal centroids honestly satisfy these three (shapes, nearest label, determinism):
# may-pass: test_returns_centroids_and_labels_with_contracted_shapes_and_dtypes
# may-pass: test_labels_point_to_a_nearest_returned_centroid
# may-pass: test_the_same_seed_gives_the_same_result
import numpy as np


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    if isinstance(X, np.ndarray) and X.flags.writeable:
        X[...] = 0
    X = np.asarray(X, dtype=float)
    centroids = np.zeros((k, X.shape[-1]))
    centroids[:, 0] = np.arange(k) * 1e-300  # distinct, all 'at' zero
    return centroids, np.zeros(len(X), dtype=np.int64)
