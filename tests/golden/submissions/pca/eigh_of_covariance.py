"""Golden submission for pca: correct, written differently from the reference (an eigendecomposition of the covariance matrix, not an SVD)."""

# expect: ACCEPTED

import numpy as np


def pca_fit(X, n_components=None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 2 or not np.isfinite(X).all():
        raise ValueError("bad X")
    n, d = X.shape
    r = min(n, d)
    mean = X.mean(axis=0)
    Xc = X - mean
    cov = Xc.T @ Xc / (n - 1)
    w, v = np.linalg.eigh(cov)
    order = np.argsort(w)[::-1][:r]
    w = np.clip(w[order], 0, None)
    v = v[:, order].T
    total = np.trace(cov)
    ratio = w / total if total > 0 else np.zeros(r)
    if n_components is None:
        k = r
    elif isinstance(n_components, (int, np.integer)) and not isinstance(n_components, bool):
        if not 1 <= n_components <= r:
            raise ValueError("bad k")
        k = n_components
    elif isinstance(n_components, float) and 0 < n_components < 1:
        c = np.cumsum(ratio)
        hits = np.nonzero(c >= n_components)[0]
        k = int(hits[0]) + 1 if hits.size else r
    else:
        raise ValueError("bad n_components")
    return mean, v[:k].copy(), w[:k].copy(), ratio[:k].copy()


def pca_transform(X, mean, components):
    X = np.asarray(X, dtype=float); mean = np.asarray(mean, float); components = np.asarray(components, float)
    if X.ndim != 2 or mean.ndim != 1 or components.ndim != 2 or X.shape[1] != mean.size or components.shape[1] != mean.size or not np.isfinite(X).all():
        raise ValueError("bad")
    out = np.empty((X.shape[0], components.shape[0]))
    for i in range(X.shape[0]):
        out[i] = components @ (X[i] - mean)
    return out


def pca_inverse_transform(Z, mean, components):
    Z = np.asarray(Z, dtype=float); mean = np.asarray(mean, float); components = np.asarray(components, float)
    if Z.ndim != 2 or mean.ndim != 1 or components.ndim != 2 or Z.shape[1] != components.shape[0] or components.shape[1] != mean.size or not np.isfinite(Z).all():
        raise ValueError("bad")
    return Z @ components + mean
