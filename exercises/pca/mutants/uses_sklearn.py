"""Wrong (banned import): delegates to sklearn.decomposition.PCA."""

import numpy as np
from sklearn.decomposition import PCA


def pca_fit(X, n_components=None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 2 or not np.isfinite(X).all():
        raise ValueError("bad X")
    model = PCA(n_components=n_components, svd_solver="full").fit(X)
    return model.mean_, model.components_, model.explained_variance_, model.explained_variance_ratio_


def pca_transform(X, mean, components):
    return (np.asarray(X, dtype=np.float64) - mean) @ np.asarray(components).T


def pca_inverse_transform(Z, mean, components):
    return np.asarray(Z, dtype=np.float64) @ np.asarray(components) + mean
