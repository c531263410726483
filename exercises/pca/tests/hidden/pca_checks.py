"""Data, scikit-learn expectations and sign-invariant checks for the hidden PCA tests."""

import numpy as np
from sklearn.decomposition import PCA

from graders.checks import assert_array, assert_close


def make_data(rng, n, d, *, decay=0.7, scale=1.0, offset=0.0):
    """n rows whose principal variances fall off geometrically (distinct, well separated),
    rotated by a random orthogonal matrix, scaled and shifted."""
    latent = rng.normal(size=(n, d)) * decay ** np.arange(d)
    rotation, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return latent @ rotation.T * scale + offset


def sklearn_fit(X, n_components=None):
    model = PCA(n_components=n_components, svd_solver="full").fit(X)
    return (
        model.mean_,
        model.components_,
        model.explained_variance_,
        model.explained_variance_ratio_,
    )


def check_fit(result, d, *, where, k=None):
    """Assert (mean, components, variance, ratio) of the contract; return them."""
    assert isinstance(result, tuple) and len(result) == 4, (
        f"{where}: pca_fit must return a tuple (mean, components, explained_variance, "
        f"explained_variance_ratio), got {type(result).__name__}"
    )
    mean, components, variance, ratio = result
    assert_array(mean, what=f"{where}: mean", shape=(d,), dtype=np.float64)
    components = assert_array(components, what=f"{where}: components", dtype=np.float64)
    assert components.ndim == 2 and components.shape[1] == d, (
        f"{where}: components must have shape (k, {d}), got {components.shape}"
    )
    kk = components.shape[0]
    if k is not None:
        assert kk == k, f"{where}: expected {k} components, got {kk}"
    assert_array(variance, what=f"{where}: explained_variance", shape=(kk,), dtype=np.float64)
    assert_array(ratio, what=f"{where}: explained_variance_ratio", shape=(kk,), dtype=np.float64)
    gram = components @ components.T
    assert np.allclose(gram, np.eye(kk), atol=1e-8), (
        f"{where}: the components must be orthonormal rows (max |V V^T - I| = "
        f"{np.abs(gram - np.eye(kk)).max():.3g})"
    )
    assert np.all(np.diff(variance) <= 1e-12 * (1.0 + abs(variance[0]))), (
        f"{where}: explained_variance must be in decreasing order, got {variance}"
    )
    return mean, components, variance, ratio


def compare_fit(got, expected, *, tolerances, where, scale=1.0):
    """Means, variances and ratios within tolerances; components up to sign where the
    variances are well separated (elsewhere only the subspace is defined)."""
    mean, components, variance, ratio = got
    e_mean, e_components, e_variance, e_ratio = expected
    vector_atol = tolerances["vector_atol"]
    assert_close(mean, e_mean, rtol=1e-9, atol=vector_atol * scale, what=f"{where}: mean")
    floor = tolerances["atol_relative"] * max(float(e_variance.max()), 1e-300)
    assert_close(
        variance, e_variance, rtol=tolerances["rtol"], atol=floor, what=f"{where}: variance"
    )
    assert_close(
        ratio,
        e_ratio,
        rtol=tolerances["rtol"],
        atol=tolerances["atol_relative"],
        what=f"{where}: explained_variance_ratio",
    )
    top = float(e_variance.max())
    for j in range(len(e_variance)):
        neighbours = [e_variance[i] for i in (j - 1, j + 1) if 0 <= i < len(e_variance)]
        gap = min((abs(e_variance[j] - v) for v in neighbours), default=top)
        if gap < 1e-3 * top or e_variance[j] < 1e-6 * top:
            continue  # a (nearly) repeated or null variance: the direction is not defined
        sign = 1.0 if components[j] @ e_components[j] >= 0 else -1.0
        assert_close(
            sign * components[j],
            e_components[j],
            rtol=0.0,
            atol=vector_atol,
            what=f"{where}: component {j} (up to sign)",
        )
