"""Wrong: explained variance s^2 / n (biased) instead of s^2 / (n - 1)."""

import numbers

import numpy as np


def _data(X):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got {X.ndim} dimensions")
    if not np.isfinite(X).all():
        raise ValueError("X contains NaN or infinite values")
    return X


def _n_kept(n_components, ratio, limit):
    if n_components is None:
        return limit
    if isinstance(n_components, bool):
        raise ValueError("n_components must be an integer or a float in (0, 1)")
    if isinstance(n_components, numbers.Integral):
        if not 1 <= n_components <= limit:
            raise ValueError(f"n_components must be in [1, {limit}], got {n_components}")
        return int(n_components)
    if isinstance(n_components, numbers.Real) and 0 < n_components < 1:
        cumulative = np.cumsum(ratio)
        return min(int(np.searchsorted(cumulative, n_components, side="left")) + 1, limit)
    raise ValueError(f"n_components must be an integer or a float in (0, 1), got {n_components!r}")


def pca_fit(X, n_components=None):
    X = _data(X)
    n, d = X.shape
    if n < 2 or d < 1:
        raise ValueError(f"X needs at least 2 rows and 1 column, got shape {X.shape}")
    mean = X.mean(axis=0)
    _, singular_values, vt = np.linalg.svd(X - mean, full_matrices=False)
    variance = singular_values**2 / n
    total = variance.sum()
    ratio = variance / total if total > 0 else np.zeros_like(variance)
    k = _n_kept(n_components, ratio, min(n, d))
    return mean, vt[:k].copy(), variance[:k].copy(), ratio[:k].copy()


def _model(mean, components):
    mean = np.asarray(mean, dtype=np.float64)
    components = np.asarray(components, dtype=np.float64)
    if mean.ndim != 1:
        raise ValueError(f"mean must be 1-D, got {mean.ndim} dimensions")
    if components.ndim != 2 or components.shape[1] != mean.size:
        raise ValueError(f"components must have shape (k, {mean.size}), got {components.shape}")
    return mean, components


def pca_transform(X, mean, components):
    mean, components = _model(mean, components)
    X = _data(X)
    if X.shape[1] != mean.size:
        raise ValueError(f"X must have {mean.size} columns, got {X.shape[1]}")
    return (X - mean) @ components.T


def pca_inverse_transform(Z, mean, components):
    mean, components = _model(mean, components)
    Z = _data(Z)
    if Z.shape[1] != components.shape[0]:
        raise ValueError(f"Z must have {components.shape[0]} columns, got {Z.shape[1]}")
    return Z @ components + mean
