"""Hidden tests for kfold: the split contract, scikit-learn's KFold, stratification, shuffling."""

import numpy as np
import pytest
from kfold_checks import check_splits, check_stratified, fold_numbers
from sklearn.model_selection import KFold

from graders.checks import assert_unchanged
from graders.remote import inspect_call

SIZES = [(10, 2), (10, 3), (7, 7), (2, 2), (101, 5), (1003, 10)]


def skewed_labels(rng, n, n_classes):
    p = 0.55 ** np.arange(n_classes)
    return rng.choice(n_classes, size=n, p=p / p.sum())


@pytest.mark.weight(2)
def test_kfold_without_shuffle_gives_scikit_learns_consecutive_blocks(solution):
    """shuffle=False: fold i is the i-th block of consecutive indices, as KFold(n_splits)."""
    for n, k in SIZES:
        where = f"kfold_indices({n}, {k})"
        pairs = check_splits(solution.kfold_indices(n, k), n, k, where=where)
        for i, ((train, test), (e_train, e_test)) in enumerate(
            zip(pairs, KFold(k).split(np.zeros(n)), strict=True)
        ):
            np.testing.assert_array_equal(test, e_test, err_msg=f"{where}: fold {i} test")
            np.testing.assert_array_equal(train, e_train, err_msg=f"{where}: fold {i} train")
    pairs = check_splits(solution.kfold_indices(12), 12, 5, where="kfold_indices(12)")
    assert [t.size for _, t in pairs] == [3, 3, 2, 2, 2], "n_splits defaults to 5"


@pytest.mark.weight(2)
def test_shuffled_kfold_is_a_partition_with_the_fold_sizes(solution):
    """shuffle=True: sorted int64 indices, test sets partition range(n), sizes as the rule."""
    for n, k in SIZES:
        for seed in (0, 1, 2):
            where = f"kfold_indices({n}, {k}, shuffle=True, seed={seed})"
            check_splits(solution.kfold_indices(n, k, shuffle=True, seed=seed), n, k, where=where)


@pytest.mark.weight(3)
def test_stratified_folds_spread_every_class_evenly(solution):
    """Each class has floor or ceil of n_c / k samples in every fold; fold sizes as the rule."""
    rng = np.random.default_rng(30)
    cases = [
        ("skewed, 4 classes", skewed_labels(rng, 103, 4), 5),
        ("skewed, 8 classes", skewed_labels(rng, 500, 8), 7),
        ("three classes of 5", np.repeat([2, 0, 1], 5), 3),
        ("alternating", np.tile([0, 1], 12), 2),
        ("rare classes", np.array([0] * 20 + [1] * 3 + [2] * 1 + [3] * 2), 4),
        ("one class", np.full(11, 7), 3),
        ("strings", np.array(list("abcabcaabbbcccaaab")), 4),
        ("leave one out", rng.integers(3, size=9), 9),
    ]
    for name, y, k in cases:
        for shuffle, seed in [(False, None), (True, 0), (True, 5)]:
            where = f"{name} (n={y.size}, k={k}, shuffle={shuffle}, seed={seed})"
            got = solution.stratified_kfold_indices(y, k, shuffle=shuffle, seed=seed)
            check_stratified(check_splits(got, y.size, k, where=where), y, k, where=where)


@pytest.mark.weight(1)
def test_shuffling_is_reproducible_and_depends_on_the_seed(solution):
    """The same seed gives the same folds, another seed other folds; shuffle=False ignores seed."""
    y = np.repeat(np.arange(3), 20)
    calls = [
        ("kfold_indices", solution.kfold_indices, 60),
        ("stratified_kfold_indices", solution.stratified_kfold_indices, y),
    ]
    for name, function, data in calls:
        first = check_splits(function(data, 4, shuffle=True, seed=11), 60, 4, where=name)
        again = check_splits(function(data, 4, shuffle=True, seed=11), 60, 4, where=name)
        other = check_splits(function(data, 4, shuffle=True, seed=12), 60, 4, where=name)
        same = [np.array_equal(a[1], b[1]) for a, b in zip(first, again, strict=True)]
        assert all(same), f"{name}: seed=11 gave different folds on two calls"
        changed = [not np.array_equal(a[1], b[1]) for a, b in zip(first, other, strict=True)]
        assert any(changed), f"{name}: seeds 11 and 12 gave the same folds"
        plain = check_splits(function(data, 4), 60, 4, where=name)
        seeded = check_splits(function(data, 4, seed=3), 60, 4, where=name)
        assert all(np.array_equal(a[1], b[1]) for a, b in zip(plain, seeded, strict=True)), (
            f"{name}: with shuffle=False the seed must not change the folds"
        )


@pytest.mark.weight(2)
def test_shuffled_assignments_look_uniformly_random(solution):
    """Over 60 seeds each sample visits every fold about equally, and neighbours often split."""
    n, k, seeds = 36, 3, range(100, 160)
    y = np.repeat(np.arange(3), 12)  # classes of 12, a multiple of k
    calls = [
        ("kfold_indices", solution.kfold_indices, n),
        ("stratified_kfold_indices", solution.stratified_kfold_indices, y),
    ]
    for name, function, data in calls:
        folds = np.array(
            [
                fold_numbers(
                    check_splits(function(data, k, shuffle=True, seed=s), n, k, where=name), n
                )
                for s in seeds
            ]
        )
        # Each sample in each fold: Binomial(60, 1/3), mean 20, sd 3.7.
        visits = np.stack([(folds == f).sum(axis=0) for f in range(k)])
        assert visits.min() >= 5 and visits.max() <= 36, (
            f"{name}: over 60 seeds a sample landed in one fold {visits.max()} times and in "
            f"another {visits.min()} times (expected about 20 each): the shuffle is not uniform"
        )
        # Neighbours (same class) share a fold with probability about 1/3, not always or never.
        shared = (folds[:, 0:-1:2] == folds[:, 1::2]).mean()
        assert 0.1 <= shared <= 0.6, (
            f"{name}: samples 2i and 2i+1 shared a fold in {shared:.0%} of the draws (expected "
            "about 30%): the samples are not shuffled individually"
        )


@pytest.mark.weight(1)
def test_bad_arguments_raise_value_error(solution):
    """ValueError for n_splits < 2, n_splits > n, a non-integer n_splits, n < 1, y not 1-D."""
    for n, k in [(10, 1), (10, 0), (3, 4), (10, 2.5), (0, 2), (-5, 2)]:
        with pytest.raises(ValueError):
            solution.kfold_indices(n, k)
    y = np.array([0, 1, 0, 1])
    for bad_y, k in [(y, 1), (y, 5), (y.reshape(2, 2), 2), (y, 2.0)]:
        with pytest.raises(ValueError):
            solution.stratified_kfold_indices(bad_y, k)


@pytest.mark.weight(1)
def test_y_is_not_modified(solution):
    """stratified_kfold_indices leaves y as it was, shuffled or not."""
    y = skewed_labels(np.random.default_rng(31), 80, 4)
    for shuffle in (False, True):
        _, after, _ = inspect_call(solution.stratified_kfold_indices, y, 4, shuffle=shuffle, seed=1)
        assert_unchanged([y, 4], after, what="the arguments (y, n_splits)")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_stratified_kfold_on_100k_samples(solution, reference, speed):
    """stratified_kfold_indices against a vectorized reference: n=100,000, 20 classes, k=5."""

    def make_case(rng):
        y = skewed_labels(rng, 100_000, 20)
        return speed.case(y, 5, shuffle=True, seed=int(rng.integers(2**31)))

    def check(case, got, expected):
        y = case.args[0]
        pairs = check_splits(got, y.size, 5, where="speed test")
        check_stratified(pairs, y, 5, where="speed test")

    speed.compare(
        solution.stratified_kfold_indices, reference.stratified_kfold_indices, make_case, check
    )
