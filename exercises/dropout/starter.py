import numpy as np


def dropout_forward(x, p, *, training=True, seed=None):
    """Return (out, mask): inverted dropout of x with drop probability p.

    mask = np.random.default_rng(seed).random(x.shape) >= p (True = kept); out = x * mask / (1 - p).
    With training=False return (a copy of x, None). See the statement for dtypes, p = 1 and errors.
    """
    raise NotImplementedError("implement dropout_forward")


def dropout_backward(grad_out, mask, p):
    """Return the gradient with respect to x: grad_out * mask / (1 - p) (grad_out if mask is None).

    See the statement for dtypes, p = 1 and errors.
    """
    raise NotImplementedError("implement dropout_backward")
