"""Checks of the split contract shared by the hidden kfold tests (runs in the checker only)."""

import numpy as np

from graders.checks import assert_array


def fold_sizes(n, k):
    return [n // k + (i < n % k) for i in range(k)]


def check_splits(result, n, k, *, where):
    """Assert the contract (list of k sorted int64 (train, test) pairs, test sets partitioning
    range(n) with the fold sizes); return the list of (train, test)."""
    assert isinstance(result, list), (
        f"{where}: expected a list of pairs, got {type(result).__name__}"
    )
    assert len(result) == k, f"{where}: expected {k} (train, test) pairs, got {len(result)}"
    pairs = []
    seen = np.zeros(n, dtype=np.int64)
    for i, pair in enumerate(result):
        assert isinstance(pair, (tuple, list)) and len(pair) == 2, (
            f"{where}: fold {i} must be a pair (train, test), got {type(pair).__name__}"
        )
        train = assert_array(pair[0], what=f"{where}: fold {i} train", dtype=np.int64)
        test = assert_array(pair[1], what=f"{where}: fold {i} test", dtype=np.int64)
        for name, idx in (("train", train), ("test", test)):
            assert idx.ndim == 1, f"{where}: fold {i} {name} must be 1-D, got shape {idx.shape}"
            assert np.all(np.diff(idx) > 0), (
                f"{where}: fold {i} {name} indices must be sorted ascending without repeats"
            )
            assert idx.size == 0 or (idx[0] >= 0 and idx[-1] < n), (
                f"{where}: fold {i} {name} has indices outside [0, {n})"
            )
        assert test.size == fold_sizes(n, k)[i], (
            f"{where}: fold {i} must have {fold_sizes(n, k)[i]} test samples (the first n % k "
            f"folds take one more), got {test.size}; all sizes should be {fold_sizes(n, k)}"
        )
        complement = np.setdiff1d(np.arange(n), test)
        assert train.shape == complement.shape and np.array_equal(train, complement), (
            f"{where}: fold {i} train must be every index not in its test set"
        )
        seen[test] += 1
        pairs.append((train, test))
    assert np.all(seen == 1), (
        f"{where}: the test sets must partition range({n}); index {int(np.argmax(seen != 1))} "
        f"is in {int(seen[np.argmax(seen != 1)])} test sets"
    )
    return pairs


def check_stratified(pairs, y, k, *, where):
    """Every class has floor(n_c / k) or ceil(n_c / k) samples in each test set."""
    classes, codes, counts = np.unique(y, return_inverse=True, return_counts=True)
    for i, (_, test) in enumerate(pairs):
        per_class = np.bincount(codes[test], minlength=classes.size)
        low, high = counts // k, -(-counts // k)
        bad = (per_class < low) | (per_class > high)
        if bad.any():
            c = int(np.argmax(bad))
            raise AssertionError(
                f"{where}: fold {i} has {per_class[c]} samples of class {classes[c]!r} "
                f"(of {counts[c]}); with k={k} each fold must have {low[c]} or {high[c]}"
            )


def fold_numbers(pairs, n):
    """The fold of each sample."""
    fold_of = np.empty(n, dtype=np.int64)
    for i, (_, test) in enumerate(pairs):
        fold_of[test] = i
    return fold_of
