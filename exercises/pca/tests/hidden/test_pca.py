"""Hidden tests for pca: scikit-learn's PCA up to signs, projections, edge cases, speed."""

import numpy as np
import pytest
from pca_checks import check_fit, compare_fit, make_data, sklearn_fit

from graders.checks import assert_array, assert_close, assert_unchanged
from graders.remote import inspect_call

# (n, d, scale, offset): tall, wide, tiny, one feature, large and small magnitudes.
SHAPES = [
    (200, 5, 1.0, 0.0),
    (60, 12, 1.0, 3.0),
    (20, 40, 1.0, 0.0),
    (2, 3, 1.0, 0.0),
    (300, 1, 2.0, -1.0),
    (150, 6, 1e6, 1e7),
    (150, 6, 1e-6, 0.5),
]


@pytest.mark.weight(1)
def test_fit_returns_the_contracted_arrays(solution):
    """float64 mean (d,), orthonormal components (k, d), variances (k,) in decreasing order."""
    rng = np.random.default_rng(40)
    for n, d, k in [(100, 6, None), (100, 6, 3), (10, 30, None), (10, 30, 1)]:
        X = make_data(rng, n, d)
        where = f"X {X.shape}, n_components={k}"
        check_fit(solution.pca_fit(X, k), d, k=k if k else min(n, d), where=where)


@pytest.mark.weight(3)
def test_variances_and_ratios_match_scikit_learn(solution, tolerances):
    """explained_variance (n - 1 denominator) and ratio (of the total variance) as sklearn's."""
    rng = np.random.default_rng(41)
    for n, d, scale, offset in SHAPES:
        X = make_data(rng, n, d, scale=scale, offset=offset)
        for k in (None, max(1, min(n, d) // 2)):
            where = f"X {X.shape} (scale {scale:g}, offset {offset:g}), n_components={k}"
            got = check_fit(solution.pca_fit(X, k), d, where=where)
            expected = sklearn_fit(X, k)
            compare_fit(got, expected, tolerances=tolerances, where=where, scale=scale)


@pytest.mark.weight(2)
def test_components_match_scikit_learn_up_to_sign(solution, tolerances):
    """Each component is scikit-learn's or its negative (where variances are distinct)."""
    rng = np.random.default_rng(42)
    for n, d in [(400, 8), (80, 3), (30, 50)]:
        X = make_data(rng, n, d, decay=0.6)
        got = check_fit(solution.pca_fit(X), d, where=f"X {X.shape}")
        compare_fit(got, sklearn_fit(X), tolerances=tolerances, where=f"X {X.shape}")


@pytest.mark.weight(1)
def test_a_float_n_components_keeps_the_smallest_sufficient_k(solution):
    """0 < t < 1: the fewest leading components whose ratios add up to at least t."""
    rng = np.random.default_rng(43)
    X = make_data(rng, 500, 10, decay=0.8)
    _, _, _, full_ratio = sklearn_fit(X)
    cumulative = np.cumsum(full_ratio)
    for t in (0.05, 0.3, 0.5, 0.9, 0.99):
        if np.min(np.abs(cumulative - t)) < 1e-6:
            continue  # too close to a tie between two k
        expected_k = int(np.argmax(cumulative >= t)) + 1
        got = check_fit(solution.pca_fit(X, t), 10, where=f"n_components={t}")
        assert got[1].shape[0] == expected_k, (
            f"n_components={t}: cumulative ratios {np.round(cumulative, 4).tolist()}: expected "
            f"{expected_k} components, got {got[1].shape[0]}"
        )


@pytest.mark.weight(2)
def test_transform_and_inverse_transform_use_the_given_components(solution, tolerances):
    """Z = (X - mean) V^T and X_hat = Z V + mean, for components made by the checker."""
    rng = np.random.default_rng(44)
    atol = tolerances["vector_atol"]
    for m, d, k in [(50, 6, 2), (7, 4, 4), (1, 3, 1), (0, 5, 3)]:
        X = rng.normal(size=(m, d)) * 5 + 2
        mean = rng.normal(size=d)
        components = np.linalg.qr(rng.normal(size=(d, d)))[0][:, :k].T.copy()
        Z = solution.pca_transform(X, mean, components)
        Z = assert_array(Z, what=f"pca_transform (m={m}, d={d}, k={k})", dtype=np.float64)
        expected_Z = (X - mean) @ components.T
        assert_close(Z, expected_Z, rtol=1e-9, atol=atol, what=f"pca_transform (m={m}, k={k})")
        back = solution.pca_inverse_transform(expected_Z, mean, components)
        back = assert_array(back, what=f"pca_inverse_transform (m={m})", dtype=np.float64)
        assert_close(
            back,
            expected_Z @ components + mean,
            rtol=1e-9,
            atol=atol,
            what=f"pca_inverse_transform (m={m}, d={d}, k={k})",
        )


@pytest.mark.weight(1)
def test_round_trip_with_all_components_recovers_the_data(solution, tolerances):
    """inverse_transform(transform(X)) == X with k = d; with k < d it is sklearn's projection."""
    rng = np.random.default_rng(45)
    X = make_data(rng, 120, 5, offset=4.0)
    mean, components, _, _ = check_fit(solution.pca_fit(X), 5, where="X (120, 5)")
    Z = solution.pca_transform(X, mean, components)
    back = solution.pca_inverse_transform(Z, mean, components)
    assert_close(back, X, rtol=1e-9, atol=tolerances["vector_atol"], what="round trip, k = d")
    mean, components, _, _ = check_fit(solution.pca_fit(X, 2), 5, where="X (120, 5), k=2")
    back = solution.pca_inverse_transform(
        solution.pca_transform(X, mean, components), mean, components
    )
    e_mean, e_components, _, _ = sklearn_fit(X, 2)
    projected = (X - e_mean) @ e_components.T @ e_components + e_mean
    assert_close(back, projected, rtol=1e-9, atol=1e-6, what="round trip, k = 2 (projection)")


@pytest.mark.weight(1)
def test_constant_data_has_zero_variance_and_zero_ratios(solution):
    """All rows equal: variances and ratios are 0 (no NaN), components still orthonormal."""
    X = np.tile([1.0, -2.0, 3.0], (6, 1))
    mean, _, variance, ratio = check_fit(solution.pca_fit(X), 3, k=3, where="constant X")
    np.testing.assert_allclose(mean, [1.0, -2.0, 3.0], err_msg="mean of constant X")
    assert np.all(np.abs(variance) <= 1e-20), f"variances of constant X must be 0, got {variance}"
    assert np.all(ratio == 0.0), f"ratios must be 0 when the total variance is 0, got {ratio}"


@pytest.mark.weight(1)
def test_bad_inputs_raise_value_error(solution):
    """ValueError for bad X, bad n_components and shapes that do not fit together."""
    X = np.random.default_rng(46).normal(size=(10, 4))
    bad_fits = [
        (np.zeros(5), None),
        (np.zeros((1, 3)), None),
        (np.where(np.eye(10, 4) > 0, np.nan, X), None),
        (np.where(np.eye(10, 4) > 0, np.inf, X), None),
        (X, 0),
        (X, 5),
        (X, 1.0),
        (X, 1.5),
        (X, -0.2),
        (X, "all"),
    ]
    for data, k in bad_fits:
        with pytest.raises(ValueError):
            solution.pca_fit(data, k)
    mean, components = np.zeros(4), np.eye(4)[:2]
    with pytest.raises(ValueError):
        solution.pca_transform(np.zeros((3, 5)), mean, components)
    with pytest.raises(ValueError):
        solution.pca_transform(np.zeros((3, 4)), np.zeros(3), components)
    with pytest.raises(ValueError):
        solution.pca_inverse_transform(np.zeros((3, 3)), mean, components)
    with pytest.raises(ValueError):
        solution.pca_inverse_transform(np.zeros(2), mean, components)


@pytest.mark.weight(1)
def test_inputs_are_not_modified(solution):
    """No function changes the arrays it is given."""
    rng = np.random.default_rng(47)
    X = make_data(rng, 40, 5, offset=2.0)
    _, after, _ = inspect_call(solution.pca_fit, X, 3)
    assert_unchanged([X, 3], after, what="the arguments of pca_fit")
    mean, components = X.mean(axis=0), np.eye(5)[:3].copy()
    Z = rng.normal(size=(40, 3))
    for function, args in [
        (solution.pca_transform, (X, mean, components)),
        (solution.pca_inverse_transform, (Z, mean, components)),
    ]:
        _, after, _ = inspect_call(function, *args)
        assert_unchanged(list(args), after, what="the arguments")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_fit_on_3000_by_50(solution, reference, speed, tolerances):
    """pca_fit against a thin-SVD reference on a (3000, 50) matrix, all components."""

    def make_case(rng):
        return speed.case(make_data(rng, 3000, 50, decay=0.9, offset=1.0))

    def check(case, got, expected):
        got = check_fit(got, 50, k=50, where="speed test")
        compare_fit(got, expected, tolerances=tolerances, where="speed test")

    speed.compare(solution.pca_fit, reference.pca_fit, make_case, check)
