"""Hostile: object-dtype arrays, whose elements could be anything (here: objects equal to all)."""
# expect: WRONG_ANSWER
import numpy as np


class Anything:
    def __eq__(self, other):
        return True

    def __float__(self):
        return 0.0


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    centroids = np.empty((k, X.shape[-1]), dtype=object)
    centroids[...] = Anything()
    labels = np.empty(len(X), dtype=object)
    labels[...] = Anything()
    return centroids, labels
