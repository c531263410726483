"""Hidden tests for kmeans: the contract, k-means++ seeding, Lloyd steps, quality, speed."""

import itertools

import numpy as np
import pytest
from kmeans_checks import blobs, check_nearest, check_result, inertia
from sklearn.cluster import KMeans


@pytest.mark.weight(1)
def test_returns_centroids_and_labels_with_contracted_shapes_and_dtypes(solution):
    """Returns float64 centroids (k, d) and integer labels (n,)."""
    rng = np.random.default_rng(1)
    for n, k, d in [(50, 3, 2), (200, 5, 7), (10, 1, 1)]:
        X = blobs(rng, n, k, d)
        check_result(X, k, solution.kmeans(X, k, seed=0))


@pytest.mark.weight(2)
def test_labels_point_to_a_nearest_returned_centroid(solution):
    """Every label is the index of a returned centroid nearest to its point."""
    rng = np.random.default_rng(2)
    for n, k, d, spread in [(300, 4, 2, 3.0), (500, 7, 5, 6.0), (120, 3, 3, 12.0)]:
        X = blobs(rng, n, k, d, spread=spread)
        centroids, labels = check_result(X, k, solution.kmeans(X, k, seed=3))
        check_nearest(X, centroids, labels)


@pytest.mark.weight(2)
def test_seeding_is_kmeans_plus_plus_drawn_from_default_rng(solution, reference):
    """With max_iter=0 the centroids are exactly the k-means++ seeds of the contract."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(400, 3))
    for seed in range(6):
        for k in (1, 2, 5):
            got, _ = check_result(X, k, solution.kmeans(X, k, max_iter=0, seed=seed))
            expected, _ = reference.kmeans(X, k, max_iter=0, seed=seed)
            np.testing.assert_array_equal(got, expected, err_msg=f"seed={seed}, k={k}")


@pytest.mark.weight(1)
def test_one_lloyd_iteration_matches_the_reference(solution, reference, tolerances):
    """max_iter=1: one assignment and one centroid update after seeding."""
    rng = np.random.default_rng(4)
    X = blobs(rng, 600, 5, 4, spread=4.0)
    for seed in range(3):
        got, labels = check_result(X, 5, solution.kmeans(X, 5, max_iter=1, seed=seed))
        expected, _ = reference.kmeans(X, 5, max_iter=1, seed=seed)
        np.testing.assert_allclose(got, expected, rtol=tolerances["rtol"], atol=tolerances["atol"])
        check_nearest(X, got, labels)


@pytest.mark.weight(1)
def test_a_large_tolerance_stops_after_the_first_iteration(solution, reference, tolerances):
    """The loop stops as soon as the largest centroid shift is <= tol."""
    rng = np.random.default_rng(5)
    X = blobs(rng, 500, 4, 3, spread=5.0)
    got, _ = check_result(X, 4, solution.kmeans(X, 4, tol=1e9, seed=7))
    expected, _ = reference.kmeans(X, 4, max_iter=1, seed=7)
    np.testing.assert_allclose(got, expected, rtol=tolerances["rtol"], atol=tolerances["atol"])


@pytest.mark.weight(1)
def test_stops_after_the_first_iteration_whose_largest_centroid_shift_is_within_tol(
    solution, reference, tolerances
):
    """Stops after the first iteration in which no centroid moved more than tol."""
    rng = np.random.default_rng(12)
    X = blobs(rng, 600, 6, 2, spread=4.0)  # overlapping blobs: ~30 iterations, uneven shifts
    # The reference's centroids after exactly t iterations (a negative tol never stops early).
    path = [reference.kmeans(X, 6, max_iter=t, tol=-1.0, seed=5)[0] for t in range(40)]
    shifts = [np.sqrt(((path[t] - path[t - 1]) ** 2).sum(axis=1)).max() for t in range(1, 40)]
    levels = sorted({s for s in shifts if s > 0})
    # Each tol sits halfway (geometrically) between two shifts, far from both: no rounding ties.
    for low, high in itertools.pairwise(levels):
        if high < low * 1.01:
            continue
        tol = float(np.sqrt(low * high))
        stop = next(t for t, s in enumerate(shifts, start=1) if s <= tol)
        got, _ = check_result(X, 6, solution.kmeans(X, 6, tol=tol, seed=5))
        np.testing.assert_allclose(
            got,
            path[stop],
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            err_msg=f"tol={tol:.6g}: expected the centroids after iteration {stop}, the first "
            "whose largest centroid shift is <= tol",
        )


@pytest.mark.weight(2)
def test_converged_centroids_match_the_reference(solution, reference, tolerances):
    """Run to convergence with the default max_iter and tol: same centroids as the reference."""
    rng = np.random.default_rng(6)
    for n, k, d in [(1000, 6, 2), (800, 4, 8)]:
        X = blobs(rng, n, k, d, spread=3.0)
        for seed in (0, 11):
            got, labels = check_result(X, k, solution.kmeans(X, k, seed=seed, tol=1e-10))
            expected, _ = reference.kmeans(X, k, seed=seed, tol=1e-10)
            np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-8)
            check_nearest(X, got, labels)


@pytest.mark.weight(2)
def test_reaches_the_scikit_learn_optimum_on_well_separated_blobs(solution):
    """On well-separated blobs the inertia is as low as scikit-learn's best of 10 starts."""
    rng = np.random.default_rng(7)
    for k, d in [(3, 2), (5, 3), (8, 4)]:
        X = blobs(rng, 150 * k, k, d, spread=0.5, distance=20.0)
        best = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).inertia_
        for seed in range(3):
            centroids, labels = check_result(X, k, solution.kmeans(X, k, seed=seed))
            assert inertia(X, centroids, labels) <= best * (1 + 1e-6), (
                f"k={k}, seed={seed}: inertia {inertia(X, centroids, labels):.6g} "
                f"is worse than the optimum {best:.6g}"
            )


@pytest.mark.weight(1)
def test_the_same_seed_gives_the_same_result(solution):
    """Two calls with one seed return identical centroids and labels."""
    X = blobs(np.random.default_rng(8), 300, 4, 3, spread=4.0)
    first = check_result(X, 4, solution.kmeans(X, 4, seed=123))
    second = check_result(X, 4, solution.kmeans(X, 4, seed=123))
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])


@pytest.mark.weight(1)
def test_an_empty_cluster_keeps_its_centroid_instead_of_becoming_nan(solution):
    """Duplicated points force a duplicated seed and an empty cluster: no NaN."""
    X = np.repeat(np.array([[0.0, 0.0], [5.0, 5.0], [10.0, 0.0]]), 20, axis=0)
    for seed in range(5):
        centroids, labels = check_result(X, 4, solution.kmeans(X, 4, seed=seed))
        check_nearest(X, centroids, labels)
        # k-means++ seeds the three distinct points before it must repeat one.
        found = {tuple(c) for c in centroids}
        assert found == {(0.0, 0.0), (5.0, 5.0), (10.0, 0.0)}, f"unexpected centroids {found}"


@pytest.mark.weight(1)
def test_identical_points_give_finite_centroids_on_that_point(solution):
    """All points equal: every seed draw is uniform, every centroid is that point."""
    X = np.full((30, 3), 2.5)
    centroids, _ = check_result(X, 3, solution.kmeans(X, 3, seed=1))
    np.testing.assert_array_equal(centroids, np.full((3, 3), 2.5))


@pytest.mark.weight(1)
def test_k_equal_to_n_puts_every_point_in_its_own_cluster(solution):
    """k = n on distinct points: zero inertia."""
    X = np.random.default_rng(9).normal(size=(12, 2))
    centroids, labels = check_result(X, 12, solution.kmeans(X, 12, seed=0))
    assert inertia(X, centroids, labels) <= 1e-20
    assert len(set(labels.tolist())) == 12


@pytest.mark.weight(1)
def test_accepts_lists_and_integer_arrays(solution, reference, tolerances):
    """X may be a nested list or an integer array; the result is still float64."""
    X = np.random.default_rng(10).integers(0, 100, size=(60, 2))
    for data in (X, X.tolist()):
        got, _ = check_result(X, 3, solution.kmeans(data, 3, seed=2))
        expected, _ = reference.kmeans(X.astype(float), 3, seed=2)
        np.testing.assert_allclose(got, expected, rtol=tolerances["rtol"], atol=tolerances["atol"])


@pytest.mark.weight(1)
def test_rejects_bad_shapes_and_bad_k_with_value_error(solution):
    """ValueError for X that is not 2-D and for k outside [1, n]."""
    X = np.zeros((5, 2))
    for bad_X in (np.zeros(5), np.zeros((2, 2, 2))):
        with pytest.raises(ValueError):
            solution.kmeans(bad_X, 1)
    for bad_k in (0, 6, -1):
        with pytest.raises(ValueError):
            solution.kmeans(X, bad_k)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_50k_points(solution, reference, speed):
    """Speed against a vectorized reference: 50,000 points, 4 dimensions, k = 8."""

    def make_case(rng):
        X = blobs(rng, 50_000, 8, 4, spread=2.5)
        return speed.case(X, 8, seed=int(rng.integers(2**31)))

    def check(case, got, expected):
        X = case.args[0]
        centroids, labels = check_result(X, 8, got)
        assert inertia(X, centroids, labels) <= inertia(X, *expected) * (1 + 1e-6) + 1e-9, (
            "the clustering is worse than the reference's on the same data and seed"
        )

    speed.compare(solution.kmeans, reference.kmeans, make_case, check)
