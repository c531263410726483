"""Wrong (banned import): delegates to sklearn.metrics instead of computing the metrics."""

import numpy as np
from sklearn import metrics


def confusion_matrix(y_true, y_pred, *, n_classes=None):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.ndim != 1 or y_true.shape != y_pred.shape or y_true.dtype.kind not in "iu":
        raise ValueError("bad labels")
    k = n_classes if n_classes is not None else int(max(y_true.max(), y_pred.max())) + 1
    return metrics.confusion_matrix(y_true, y_pred, labels=np.arange(k)).astype(np.int64)


def precision_recall_f1(y_true, y_pred, *, average=None, n_classes=None):
    k = confusion_matrix(y_true, y_pred, n_classes=n_classes).shape[0]
    p, r, f, _ = metrics.precision_recall_fscore_support(
        y_true, y_pred, labels=np.arange(k), average=average, zero_division=0.0
    )
    return (p, r, f) if average is None else (float(p), float(r), float(f))


def roc_auc(y_true, scores):
    return float(metrics.roc_auc_score(y_true, scores))
