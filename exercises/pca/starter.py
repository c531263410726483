import numpy as np


def pca_fit(X, n_components=None):
    """Return (mean, components, explained_variance, explained_variance_ratio) of X.

    components: (k, d) unit rows in order of decreasing variance (any sign); see the statement.
    """
    raise NotImplementedError("implement pca_fit")


def pca_transform(X, mean, components):
    """(m, k) coordinates (X - mean) @ components.T."""
    raise NotImplementedError("implement pca_transform")


def pca_inverse_transform(Z, mean, components):
    """(m, d) points Z @ components + mean."""
    raise NotImplementedError("implement pca_inverse_transform")
