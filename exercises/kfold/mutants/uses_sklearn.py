"""Wrong (banned import): delegates to sklearn.model_selection's KFold and StratifiedKFold."""

import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold


def _sorted(splits):
    return [(np.sort(train).astype(np.int64), np.sort(test).astype(np.int64)) for train, test in splits]


def kfold_indices(n_samples, n_splits=5, *, shuffle=False, seed=None):
    if not isinstance(n_splits, int) or n_samples < 1:
        raise ValueError("bad arguments")
    splitter = KFold(n_splits, shuffle=shuffle, random_state=seed if shuffle else None)
    return _sorted(splitter.split(np.zeros(n_samples)))


def stratified_kfold_indices(y, n_splits=5, *, shuffle=False, seed=None):
    y = np.asarray(y)
    if y.ndim != 1 or not isinstance(n_splits, int) or n_splits > y.size:
        raise ValueError("bad arguments")
    splitter = StratifiedKFold(n_splits, shuffle=shuffle, random_state=seed if shuffle else None)
    return _sorted(splitter.split(np.zeros(y.size), y))
