"""Data, a trusted forward pass and checks shared by the hidden mlp-digits tests (checker only)."""

import importlib.util
import itertools
from pathlib import Path

import numpy as np

from graders.checks import assert_array


def digits():
    """(X, y): the 1,797 digits, features divided by 16 so they lie in [0, 1]."""
    # scikit-learn's bundled copy, read directly: importing sklearn would slow every grading.
    package = Path(importlib.util.find_spec("sklearn").origin).parent
    data = np.loadtxt(package / "datasets" / "data" / "digits.csv.gz", delimiter=",")
    return data[:, :-1] / 16.0, data[:, -1].astype(np.int64)


def split(X, y, seed, n_train=1297):
    """A random train/held-out split (fixed by `seed`)."""
    order = np.random.default_rng(seed).permutation(len(X))
    train, held_out = order[:n_train], order[n_train:]
    return X[train], y[train], X[held_out], y[held_out]


def scaled_blobs(n, n_classes, d, seed):
    """Overlapping-but-learnable Gaussian blobs, min-max scaled to [0, 1]."""
    rng = np.random.default_rng(seed)
    centers = rng.uniform(-10.0, 10.0, size=(n_classes, d))
    y = rng.integers(n_classes, size=n)
    X = centers[y] + rng.normal(scale=1.5, size=(n, d))
    X = (X - X.min(axis=0)) / (X.max(axis=0) - X.min(axis=0))
    return X, y


def random_params(rng, sizes, *, scale=1.0):
    return [
        (
            rng.normal(scale=scale / np.sqrt(fan_in), size=(fan_in, fan_out)),
            rng.normal(scale=0.3 * scale, size=fan_out),
        )
        for fan_in, fan_out in itertools.pairwise(sizes)
    ]


def trusted_proba(params, X):
    """The statement's network in plain float64 NumPy (log-sum-exp softmax)."""
    a = np.asarray(X, dtype=np.float64)
    for W, b in params[:-1]:
        a = np.maximum(a @ W + b, 0.0)
    W, b = params[-1]
    z = a @ W + b
    z = z - z.max(axis=1, keepdims=True)
    return np.exp(z - np.log(np.exp(z).sum(axis=1, keepdims=True)))


def accuracy(params, X, y):
    return float((trusted_proba(params, X).argmax(axis=1) == y).mean())


def check_trained_params(params, d, n_classes):
    """Assert `train` returned a list of >= 2 (W, b) float64 pairs chaining d -> n_classes."""
    assert isinstance(params, list), f"train must return a list of (W, b), got {type(params)}"
    assert len(params) >= 2, (
        f"train must return at least two layers (one hidden layer), got {len(params)}"
    )
    width = d
    checked = []
    for index, pair in enumerate(params):
        assert isinstance(pair, (tuple, list)) and len(pair) == 2, (
            f"params[{index}] must be a pair (W, b)"
        )
        W = assert_array(pair[0], what=f"params[{index}] W", dtype=np.float64)
        b = assert_array(pair[1], what=f"params[{index}] b", dtype=np.float64)
        assert W.ndim == 2 and W.shape[0] == width, (
            f"params[{index}] W must have shape ({width}, d_out), got {W.shape}"
        )
        assert b.shape == (W.shape[1],), (
            f"params[{index}] b must have shape ({W.shape[1]},), got {b.shape}"
        )
        width = W.shape[1]
        checked.append((W, b))
    assert width == n_classes, f"the last layer must have {n_classes} outputs, got {width}"
    return checked
