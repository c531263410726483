"""Wrong (banned import): runs torch.nn.functional.batch_norm and torch autograd."""

import numpy as np
import torch


def batchnorm_forward(
    x, gamma, beta, running_mean, running_var, *, training=True, momentum=0.1, eps=1e-5
):
    x = torch.tensor(np.asarray(x, dtype=np.float64))
    if x.ndim not in (2, 3):
        raise ValueError("x must be 2-D or 3-D")
    rm = torch.tensor(np.asarray(running_mean, dtype=np.float64))
    rv = torch.tensor(np.asarray(running_var, dtype=np.float64))
    out = torch.nn.functional.batch_norm(
        x,
        rm,
        rv,
        torch.tensor(np.asarray(gamma, dtype=np.float64)),
        torch.tensor(np.asarray(beta, dtype=np.float64)),
        training=training,
        momentum=momentum,
        eps=eps,
    )
    return out.numpy(), rm.numpy(), rv.numpy()


def batchnorm_backward(grad_out, x, gamma, *, eps=1e-5):
    x = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    g = torch.tensor(np.asarray(gamma, dtype=np.float64), requires_grad=True)
    b = torch.zeros_like(g, requires_grad=True)
    out = torch.nn.functional.batch_norm(x, None, None, g, b, training=True, eps=eps)
    (out * torch.tensor(np.asarray(grad_out, dtype=np.float64))).sum().backward()
    return x.grad.numpy(), g.grad.numpy(), b.grad.numpy()
