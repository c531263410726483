"""Wrong (banned import): trains scikit-learn's MLPClassifier and exports its weights."""

import numpy as np
from sklearn.neural_network import MLPClassifier


def predict_proba(params, X):
    a = np.asarray(X, dtype=np.float64)
    for W, b in params[:-1]:
        a = np.maximum(a @ W + b, 0.0)
    z = a @ params[-1][0] + params[-1][1]
    z = z - z.max(axis=1, keepdims=True)
    return np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)


def predict(params, X):
    return predict_proba(params, X).argmax(axis=1)


def train(X, y, *, n_classes=10, seed=0):
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
    if X.ndim != 2 or len(X) == 0 or y.shape != (len(X),) or y.min() < 0 or y.max() >= n_classes:
        raise ValueError("bad input")
    # Make every class known to the classifier so the output layer has n_classes units.
    model = MLPClassifier(hidden_layer_sizes=(64,), max_iter=300, random_state=seed)
    model.fit(X, y)
    return [(W, b) for W, b in zip(model.coefs_, model.intercepts_, strict=True)]
