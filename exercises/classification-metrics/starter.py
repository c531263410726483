import numpy as np


def confusion_matrix(y_true, y_pred, *, n_classes=None):
    """int64 (K, K) matrix: C[i, j] counts samples of true class i predicted as class j.

    See the statement for K, the input checks and the ValueErrors.
    """
    raise NotImplementedError("implement confusion_matrix")


def precision_recall_f1(y_true, y_pred, *, average=None, n_classes=None):
    """(precision, recall, f1): per-class float64 arrays (average=None) or floats for
    average="micro", "macro" or "weighted". A zero denominator gives 0.0."""
    raise NotImplementedError("implement precision_recall_f1")


def roc_auc(y_true, scores):
    """Area under the ROC curve of binary labels y_true (0/1) and real scores; ties count 1/2."""
    raise NotImplementedError("implement roc_auc")
