"""Wrong (banned import): delegates to torch.nn.functional.dropout."""

import numpy as np
import torch


def dropout_forward(x, p, *, training=True, seed=None):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    x = np.asarray(x)
    x = x if x.dtype.kind == "f" else x.astype(np.float64)
    if not training:
        return x.copy(), None
    if seed is not None:
        torch.manual_seed(seed)
    out = torch.nn.functional.dropout(torch.from_numpy(x.copy()), p, training=True).numpy()
    keep = out != 0
    return out, keep


def dropout_backward(grad_out, mask, p):
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be in [0, 1]")
    grad_out = np.asarray(grad_out, dtype=np.float64)
    if mask is None:
        return grad_out.copy()
    if p == 1.0:
        return np.zeros_like(grad_out)
    return grad_out * mask / (1.0 - p)
