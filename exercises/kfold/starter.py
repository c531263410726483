import numpy as np


def kfold_indices(n_samples, n_splits=5, *, shuffle=False, seed=None):
    """List of n_splits (train, test) pairs of sorted int64 index arrays; the test sets
    partition range(n_samples), the first n_samples % n_splits folds one sample larger."""
    raise NotImplementedError("implement kfold_indices")


def stratified_kfold_indices(y, n_splits=5, *, shuffle=False, seed=None):
    """Like kfold_indices for len(y) samples, with every class spread as evenly as possible."""
    raise NotImplementedError("implement stratified_kfold_indices")
