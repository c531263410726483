"""Wrong: dW is computed from the previous layer's pre-activations z instead of its
activations a = sigmoid(z) (the first layer still uses X, so one-layer nets are right)."""

import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(params, X):
    a = np.asarray(X, dtype=np.float64)
    for index, (W, b) in enumerate(params):
        a = a @ W + b
        if index < len(params) - 1:
            a = _sigmoid(a)
    return a


def loss_and_gradients(params, X, y):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = X.shape[0]
    zs, activations = [X], [X]  # zs[0] is the input so that layer 0 uses X
    for index, (W, b) in enumerate(params):
        z = activations[-1] @ W + b
        zs.append(z)
        activations.append(z if index == len(params) - 1 else _sigmoid(z))
    residual = activations[-1] - y
    loss = float(np.sum(residual**2) / (2 * n))
    delta = residual / n
    grads = []
    for index in reversed(range(len(params))):
        grads.insert(0, (zs[index].T @ delta, delta.sum(axis=0)))
        if index > 0:
            a = activations[index]
            delta = (delta @ params[index][0].T) * a * (1 - a)
    return loss, grads
