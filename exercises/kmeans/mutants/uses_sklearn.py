"""Wrong (banned import): delegates to sklearn.cluster.KMeans instead of writing the algorithm."""

import numpy as np
from sklearn.cluster import KMeans


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or not 1 <= k <= X.shape[0]:
        raise ValueError("bad input")
    model = KMeans(n_clusters=k, init="k-means++", n_init=1, max_iter=max(max_iter, 1), tol=tol,
                   random_state=seed).fit(X)
    return model.cluster_centers_, model.labels_
