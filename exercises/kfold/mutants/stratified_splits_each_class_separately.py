"""Wrong: splits each class into k near-equal parts on its own, the first parts one larger, so
the per-class counts are even but fold sizes can differ by more than one."""

import numbers

import numpy as np


def _check_splits(n_splits, n):
    if isinstance(n_splits, bool) or not isinstance(n_splits, numbers.Integral):
        raise ValueError(f"n_splits must be an integer, got {n_splits!r}")
    if not 2 <= n_splits <= n:
        raise ValueError(f"n_splits must be in [2, n_samples={n}], got {n_splits}")
    return int(n_splits)


def _splits(fold_of, k):
    """(train, test) per fold from the fold number of each sample; flatnonzero sorts."""
    return [(np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)) for f in range(k)]


def kfold_indices(n_samples, n_splits=5, *, shuffle=False, seed=None):
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral):
        raise ValueError(f"n_samples must be an integer, got {n_samples!r}")
    if n_samples < 1:
        raise ValueError(f"n_samples must be positive, got {n_samples}")
    n = int(n_samples)
    k = _check_splits(n_splits, n)
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    fold_of = np.empty(n, dtype=np.int64)
    fold_of[order] = np.repeat(np.arange(k), sizes)
    return _splits(fold_of, k)


def stratified_kfold_indices(y, n_splits=5, *, shuffle=False, seed=None):
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D, got {y.ndim} dimensions")
    n = y.size
    k = _check_splits(n_splits, n)
    _, codes = np.unique(y, return_inverse=True)
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    # Samples sorted by class (stably), dealt to folds 0, 1, ..., k-1, 0, ...: position p goes
    # to fold p % k, so fold sizes follow the rule and each class (a contiguous run) is spread
    # within one of even.
    fold_of = np.empty(n, dtype=np.int64)
    for c in range(codes.max() + 1):
        members = order[codes[order] == c]
        for f, part in enumerate(np.array_split(members, k)):
            fold_of[part] = f
    return _splits(fold_of, k)
