import numpy as np


def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, *, training=True, momentum=0.1, eps=1e-5
):
    """Return (out, new_running_mean, new_running_var), like torch.nn.BatchNorm1d.

    x: shape (N, C) or (N, C, L); gamma, beta, running_mean, running_var: shape (C,).
    training=True: normalize with the batch statistics (biased variance) and update the running
    statistics with momentum (unbiased variance). training=False: normalize with the running
    statistics and return them unchanged. Never modify the arguments in place.
    """
    raise NotImplementedError("implement batchnorm_forward")


def batchnorm_backward(grad_out, x, gamma, *, eps=1e-5):
    """Return (dx, dgamma, dbeta) of training-mode batch normalization, given dL/dout.

    dx has the shape of x; dgamma and dbeta have shape (C,).
    """
    raise NotImplementedError("implement batchnorm_backward")
