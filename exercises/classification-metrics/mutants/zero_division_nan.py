"""Wrong: a zero denominator gives NaN (plain division) instead of 0.0."""

import numbers

import numpy as np

AVERAGES = (None, "micro", "macro", "weighted")


def _labels(y, name):
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got {y.ndim} dimensions")
    if y.size == 0 and y.dtype == np.float64:
        y = y.astype(np.int64)  # np.asarray([]) is float64: an empty list is fine
    if y.dtype.kind not in "iu":
        raise ValueError(f"{name} must have an integer dtype, got {y.dtype}")
    if y.size and y.min() < 0:
        raise ValueError(f"{name} has a negative label {y.min()}")
    return y.astype(np.int64)


def _checked(y_true, y_pred, n_classes):
    y_true = _labels(y_true, "y_true")
    y_pred = _labels(y_pred, "y_pred")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred differ in length: {y_true.size} != {y_pred.size}")
    top = max(int(y_true.max()), int(y_pred.max())) if y_true.size else -1
    if n_classes is None:
        if top < 0:
            raise ValueError("empty inputs: give n_classes")
        return y_true, y_pred, top + 1
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral):
        raise ValueError(f"n_classes must be an integer, got {n_classes!r}")
    if n_classes < 1 or n_classes <= top:
        raise ValueError(f"n_classes must be at least 1 and above every label, got {n_classes}")
    return y_true, y_pred, int(n_classes)


def confusion_matrix(y_true, y_pred, *, n_classes=None):
    y_true, y_pred, k = _checked(y_true, y_pred, n_classes)
    return np.bincount(y_true * k + y_pred, minlength=k * k).reshape(k, k).astype(np.int64)


def _ratio(numerator, denominator):
    numerator = np.asarray(numerator, dtype=np.float64)
    denominator = np.asarray(denominator, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return numerator / denominator


def _scores(tp, fp, fn):
    # 2PR / (P + R) == 2TP / (2TP + FP + FN), and 0 exactly when either denominator is.
    return _ratio(tp, tp + fp), _ratio(tp, tp + fn), _ratio(2 * tp, 2 * tp + fp + fn)


def precision_recall_f1(y_true, y_pred, *, average=None, n_classes=None):
    if average not in AVERAGES:
        raise ValueError(f"average must be one of {AVERAGES}, got {average!r}")
    counts = confusion_matrix(y_true, y_pred, n_classes=n_classes)
    tp = np.diag(counts)
    fp = counts.sum(axis=0) - tp
    fn = counts.sum(axis=1) - tp
    if average == "micro":
        return tuple(float(v) for v in _scores(tp.sum(), fp.sum(), fn.sum()))
    per_class = _scores(tp, fp, fn)
    if average is None:
        return per_class
    if average == "macro":
        return tuple(float(v.mean()) for v in per_class)
    support = tp + fn
    total = support.sum()
    return tuple(float((v * support).sum() / total) if total else 0.0 for v in per_class)


def roc_auc(y_true, scores):
    y = np.asarray(y_true)
    s = np.asarray(scores, dtype=np.float64)
    if y.ndim != 1 or s.ndim != 1:
        raise ValueError("y_true and scores must be 1-D")
    if y.shape != s.shape:
        raise ValueError(f"y_true and scores differ in length: {y.size} != {s.size}")
    if y.dtype.kind not in "iub" or not np.isin(y, (0, 1)).all():
        raise ValueError("y_true must contain only 0 and 1")
    if not np.isfinite(s).all():
        raise ValueError("scores must be finite")
    positive = y.astype(bool)
    n_pos = int(positive.sum())
    n_neg = y.size - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("y_true has only one class: the AUC is undefined")
    # Mann-Whitney U from average ranks (tied scores share the mean of their ranks).
    order = np.argsort(s, kind="stable")
    sorted_scores = s[order]
    starts = np.flatnonzero(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]])
    ends = np.r_[starts[1:], s.size]
    mean_rank = (starts + ends + 1) / 2.0  # 1-based ranks starts+1 .. ends
    group = np.cumsum(np.r_[True, sorted_scores[1:] != sorted_scores[:-1]]) - 1
    ranks = np.empty(s.size)
    ranks[order] = mean_rank[group]
    u = ranks[positive].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))
