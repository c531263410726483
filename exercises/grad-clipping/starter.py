import math

import numpy as np


def clip_grad_norm(grads, max_norm, *, norm_type=2.0, error_if_nonfinite=False):
    """Return (clipped, total_norm): the gradients scaled to a global norm of at most max_norm.

    grads: a list of float64 arrays (not modified). total_norm: the norm before clipping, a float.
    norm_type: p > 0, or math.inf for the max norm. See the statement for the exact rule
    (the 1e-6 in the coefficient, non-finite norms) and the errors to raise.
    """
    raise NotImplementedError("implement clip_grad_norm")
