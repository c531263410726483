"""Golden submission for kfold: correct, written differently from the reference (stratified folds assigned by hand)."""

# expect: ACCEPTED

import numpy as np


def _k(n_splits, n):
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or not 2 <= n_splits <= n:
        raise ValueError("bad n_splits")
    return int(n_splits)


def kfold_indices(n_samples, n_splits=5, *, shuffle=False, seed=None):
    if isinstance(n_samples, bool) or not isinstance(n_samples, (int, np.integer)) or n_samples < 1:
        raise ValueError("bad n_samples")
    k = _k(n_splits, n_samples)
    idx = np.arange(n_samples)
    if shuffle:
        np.random.default_rng(seed).shuffle(idx)
    out = []
    for part in np.array_split(idx, k):
        test = np.sort(part).astype(np.int64)
        mask = np.ones(n_samples, bool)
        mask[test] = False
        out.append((np.flatnonzero(mask).astype(np.int64), test))
    return out


def stratified_kfold_indices(y, n_splits=5, *, shuffle=False, seed=None):
    # scikit-learn's allocation, re-implemented.
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError("y must be 1-D")
    n = y.size
    k = _k(n_splits, n)
    _, y_idx, y_inv = np.unique(y, return_index=True, return_inverse=True)
    _, class_perm = np.unique(y_idx, return_inverse=True)
    y_encoded = class_perm[y_inv]
    n_classes = len(y_idx)
    y_order = np.sort(y_encoded)
    allocation = np.asarray([np.bincount(y_order[i::k], minlength=n_classes) for i in range(k)])
    rng = np.random.default_rng(seed)
    test_folds = np.empty(n, dtype=int)
    for c in range(n_classes):
        folds_for_class = np.arange(k).repeat(allocation[:, c])
        if shuffle:
            rng.shuffle(folds_for_class)
        test_folds[y_encoded == c] = folds_for_class
    return [
        (np.flatnonzero(test_folds != f).astype(np.int64), np.flatnonzero(test_folds == f).astype(np.int64))
        for f in range(k)
    ]
