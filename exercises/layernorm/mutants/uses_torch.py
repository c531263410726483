"""Wrong (banned import): runs torch.nn.functional.layer_norm and torch autograd."""

import numpy as np
import torch


def _tensors(x, gamma, grad=False):
    x = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=grad)
    gamma = torch.tensor(np.asarray(gamma, dtype=np.float64), requires_grad=grad)
    if gamma.ndim == 0 or tuple(x.shape[x.ndim - gamma.ndim :]) != tuple(gamma.shape):
        raise ValueError("gamma's shape must be the trailing shape of x")
    return x, gamma


def layernorm_forward(x, gamma, beta, *, eps=1e-5):
    x, gamma = _tensors(x, gamma)
    beta = torch.tensor(np.asarray(beta, dtype=np.float64))
    return torch.nn.functional.layer_norm(x, tuple(gamma.shape), gamma, beta, eps).numpy()


def layernorm_backward(grad_out, x, gamma, *, eps=1e-5):
    x, gamma = _tensors(x, gamma, grad=True)
    beta = torch.zeros_like(gamma, requires_grad=True)
    out = torch.nn.functional.layer_norm(x, tuple(gamma.shape), gamma, beta, eps)
    (out * torch.tensor(np.asarray(grad_out, dtype=np.float64))).sum().backward()
    return x.grad.numpy(), gamma.grad.numpy(), beta.grad.numpy()
