"""Public tests for kfold: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest


def test_kfold_of_the_example(solution):
    """7 samples, 3 folds: consecutive blocks of sizes 3, 2, 2."""
    got = solution.kfold_indices(7, 3)
    assert len(got) == 3, f"expected 3 (train, test) pairs, got {len(got)}"
    expected_tests = [[0, 1, 2], [3, 4], [5, 6]]
    for i, ((train, test), want) in enumerate(zip(got, expected_tests, strict=True)):
        assert test.dtype == np.int64, f"fold {i}: expected int64 indices, got {test.dtype}"
        np.testing.assert_array_equal(test, want, err_msg=f"fold {i} test")
        np.testing.assert_array_equal(train, np.setdiff1d(np.arange(7), want), err_msg="train")


def test_shuffled_test_sets_are_sorted_and_partition_the_samples(solution):
    """shuffle=True still gives sorted test sets that together hold every index once."""
    got = solution.kfold_indices(20, 4, shuffle=True, seed=0)
    tests = [test for _, test in got]
    for i, test in enumerate(tests):
        assert np.all(np.diff(test) > 0), f"fold {i}: test indices must be sorted ascending"
    np.testing.assert_array_equal(np.sort(np.concatenate(tests)), np.arange(20))


def test_stratified_example(solution):
    """4 samples of class 0 and 6 of class 1 in 2 folds: 2 + 3 in each."""
    y = np.array([0, 0, 0, 0, 1, 1, 1, 1, 1, 1])
    got = solution.stratified_kfold_indices(y, 2)
    counts = [np.bincount(y[test], minlength=2).tolist() for _, test in got]
    assert counts == [[2, 3], [2, 3]], f"class counts per test fold: {counts}"


def test_the_same_seed_gives_the_same_folds(solution):
    """Shuffling is reproducible."""
    y = np.repeat([0, 1, 2], 10)
    a = solution.stratified_kfold_indices(y, 3, shuffle=True, seed=4)
    b = solution.stratified_kfold_indices(y, 3, shuffle=True, seed=4)
    for (_, ta), (_, tb) in zip(a, b, strict=True):
        np.testing.assert_array_equal(ta, tb)


def test_more_folds_than_samples_is_an_error(solution):
    """n_splits must not exceed the number of samples."""
    with pytest.raises(ValueError):
        solution.kfold_indices(3, 4)
