"""Data and trusted expectations shared by the hidden metrics tests (runs in the checker only)."""

import warnings

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support, roc_auc_score

from graders.checks import assert_array, assert_close

AVERAGES = ("micro", "macro", "weighted")


def labels(rng, n, k, *, skew=False):
    """n labels in [0, k); with skew, class frequencies fall off geometrically."""
    if not skew:
        return rng.integers(k, size=n)
    p = 0.5 ** np.arange(k)
    return rng.choice(k, size=n, p=p / p.sum())


def noisy_predictions(rng, y_true, k, accuracy):
    """Predictions that copy y_true with probability `accuracy`, else a random class."""
    keep = rng.random(y_true.size) < accuracy
    return np.where(keep, y_true, rng.integers(k, size=y_true.size))


def expected_confusion(y_true, y_pred, k):
    return confusion_matrix(y_true, y_pred, labels=np.arange(k)).astype(np.int64)


def expected_prf(y_true, y_pred, k, average):
    """scikit-learn's (precision, recall, f1) over classes 0..k-1, zero_division=0."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p, r, f, _ = precision_recall_fscore_support(
            y_true, y_pred, labels=np.arange(k), average=average, zero_division=0.0
        )
    return p, r, f


def expected_auc(y_true, scores):
    return float(roc_auc_score(y_true, scores))


def check_confusion(got, k):
    return assert_array(got, what="confusion_matrix", shape=(k, k), dtype=np.int64)


def check_prf(got, k, average, expected, *, rtol, atol, where):
    """got is the tuple of the contract for `average` and equals `expected`."""
    assert isinstance(got, tuple) and len(got) == 3, (
        f"precision_recall_f1 must return a tuple (precision, recall, f1), got "
        f"{type(got).__name__}" + (f" of {len(got)} items" if isinstance(got, tuple) else "")
    )
    for name, value, want in zip(("precision", "recall", "f1"), got, expected, strict=True):
        what = f"{name} ({where}, average={average!r})"
        if average is None:
            assert_array(value, what=what, shape=(k,), dtype=np.float64)
        else:
            assert isinstance(value, float), (
                f"{what} must be a float, got {type(value).__name__}"
                + (f" of shape {value.shape}" if hasattr(value, "shape") else "")
            )
            assert np.isfinite(value), f"{what} is {value}"
        assert_close(value, want, rtol=rtol, atol=atol, what=what)


def check_auc(got, expected, *, rtol, atol, where):
    assert isinstance(got, float), f"roc_auc must return a float, got {type(got).__name__}"
    assert_close(got, expected, rtol=rtol, atol=atol, what=f"roc_auc ({where})")
