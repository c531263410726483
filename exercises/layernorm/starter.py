import numpy as np


def layernorm_forward(x, gamma, beta, *, eps=1e-5):
    """Return layer normalization of x over its last gamma.ndim axes: gamma * x_hat + beta.

    gamma and beta share a shape equal to the trailing shape of x. The variance is the biased
    one; see the statement for the errors to raise. Do not modify the arguments in place.
    """
    raise NotImplementedError("implement layernorm_forward")


def layernorm_backward(grad_out, x, gamma, *, eps=1e-5):
    """Return (dx, dgamma, dbeta) given dL/dout, for the same x, gamma and eps as the forward.

    dx has the shape of x; dgamma and dbeta the shape of gamma (summed over the sample axes).
    """
    raise NotImplementedError("implement layernorm_backward")
