"""Wrong: sizes the output layer from the largest label seen instead of n_classes."""

import numbers

import numpy as np

HIDDEN = 64
EPOCHS = 40
BATCH = 32
LEARNING_RATE = 0.1
MOMENTUM = 0.9
WEIGHT_DECAY = 1e-4


def _check_params(params, X):
    if not isinstance(params, (list, tuple)) or len(params) == 0:
        raise ValueError("params must be a non-empty list of (W, b) pairs")
    layers = [(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in params]
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got {X.ndim} dimensions")
    width = X.shape[1]
    for index, (W, b) in enumerate(layers):
        if W.ndim != 2 or W.shape[0] != width or b.shape != (W.shape[1],):
            raise ValueError(f"layer {index}: W {W.shape} and b {b.shape} do not fit width {width}")
        width = W.shape[1]
    return layers


def _softmax(logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=1, keepdims=True)


def _logits(layers, X):
    a = X
    for W, b in layers[:-1]:
        a = np.maximum(a @ W + b, 0.0)
    W, b = layers[-1]
    return a @ W + b


def predict_proba(params, X):
    X = np.asarray(X, dtype=np.float64)
    layers = _check_params(params, X)
    return _softmax(_logits(layers, X))


def predict(params, X):
    return predict_proba(params, X).argmax(axis=1)


def train(X, y, *, n_classes=10, seed=0):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a non-empty 2-D array, got shape {X.shape}")
    if isinstance(n_classes, bool) or not isinstance(n_classes, numbers.Integral) or n_classes < 2:
        raise ValueError(f"n_classes must be an integer >= 2, got {n_classes!r}")
    if y.shape != (X.shape[0],) or y.dtype.kind not in "iu":
        raise ValueError(f"y must be an integer array of shape ({X.shape[0]},)")
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"labels must be in [0, {n_classes}), got [{y.min()}, {y.max()}]")
    rng = np.random.default_rng(seed)
    n, d = X.shape
    k = int(y.max()) + 1
    # He initialisation: the hidden layer feeds a ReLU.
    W1 = rng.normal(scale=np.sqrt(2.0 / d), size=(d, HIDDEN))
    b1 = np.zeros(HIDDEN)
    W2 = rng.normal(scale=np.sqrt(2.0 / HIDDEN), size=(HIDDEN, k))
    b2 = np.zeros(k)
    velocity = [[np.zeros_like(W1), np.zeros_like(b1)], [np.zeros_like(W2), np.zeros_like(b2)]]
    onehot = np.eye(k)[y]
    for _ in range(EPOCHS):
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            batch = order[start : start + BATCH]
            xb, tb = X[batch], onehot[batch]
            h = np.maximum(xb @ W1 + b1, 0.0)
            p = _softmax(h @ W2 + b2)
            delta = (p - tb) / len(batch)
            grad_W2 = h.T @ delta + WEIGHT_DECAY * W2
            grad_b2 = delta.sum(axis=0)
            delta_h = (delta @ W2.T) * (h > 0)
            grad_W1 = xb.T @ delta_h + WEIGHT_DECAY * W1
            grad_b1 = delta_h.sum(axis=0)
            for (v_W, v_b), g_W, g_b in zip(
                velocity, (grad_W1, grad_W2), (grad_b1, grad_b2), strict=True
            ):
                v_W *= MOMENTUM
                v_W -= LEARNING_RATE * g_W
                v_b *= MOMENTUM
                v_b -= LEARNING_RATE * g_b
            W1 += velocity[0][0]
            b1 += velocity[0][1]
            W2 += velocity[1][0]
            b2 += velocity[1][1]
    return [(W1, b1), (W2, b2)]
