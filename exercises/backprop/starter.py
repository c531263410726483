import numpy as np


def forward(params, X):
    """Return the network's output Y_hat, an array of shape (n, d_out).

    params: a list of (W, b), W of shape (d_in, d_out) and b of shape (d_out,), one per layer.
    Every layer but the last is followed by a sigmoid; the last layer is linear.
    X: array of shape (n, d_in).
    """
    raise NotImplementedError("implement forward")


def loss_and_gradients(params, X, y):
    """Return (loss, grads) for the mean squared error loss of the statement.

    loss: a Python float, (1 / (2n)) * sum over samples and outputs of (Y_hat - y) ** 2.
    grads: a list of (dW, db), in the order and with the shapes of params.
    y: array of shape (n, d_out).
    """
    raise NotImplementedError("implement loss_and_gradients")
