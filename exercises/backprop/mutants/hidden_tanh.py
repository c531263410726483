"""Wrong: uses tanh instead of the sigmoid on the hidden layers (gradients consistent with tanh)."""

import numpy as np


def _activations(params, X):
    activations = [np.asarray(X, dtype=np.float64)]
    last = len(params) - 1
    for index, (W, b) in enumerate(params):
        z = activations[-1] @ W + b
        activations.append(z if index == last else np.tanh(z))
    return activations


def forward(params, X):
    return _activations(params, X)[-1]


def loss_and_gradients(params, X, y):
    activations = _activations(params, X)
    y = np.asarray(y, dtype=np.float64)
    n = y.shape[0]
    residual = activations[-1] - y
    loss = float((residual * residual).sum() / (2 * n))
    delta = residual / n
    grads = [None] * len(params)
    for index in range(len(params) - 1, -1, -1):
        a_prev = activations[index]
        grads[index] = (a_prev.T @ delta, delta.sum(axis=0))
        if index > 0:
            delta = (delta @ params[index][0].T) * (1.0 - a_prev**2)
    return loss, grads
