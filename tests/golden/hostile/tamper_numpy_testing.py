"""Hostile: disables numpy's comparisons at import, then returns garbage.

In a same-process grader this passes every np.allclose / np.testing check. Here the patch only
changes the candidate's own process; the checker compares with its own numpy.
"""
# expect: WRONG_ANSWER
# All-equal centroids honestly satisfy these three (shapes, nearest label, determinism):
# may-pass: test_returns_centroids_and_labels_with_contracted_shapes_and_dtypes
# may-pass: test_labels_point_to_a_nearest_returned_centroid
# may-pass: test_the_same_seed_gives_the_same_result
import numpy as np
import numpy.testing

np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.isfinite = lambda *args, **kwargs: np.True_
numpy.testing.assert_allclose = lambda *args, **kwargs: None
numpy.testing.assert_array_equal = lambda *args, **kwargs: None
np.testing.assert_allclose = numpy.testing.assert_allclose


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    return np.zeros((k, X.shape[-1])), np.zeros(len(X), dtype=np.int64)
