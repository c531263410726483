"""Data, trusted computations (torch layer_norm) and checks for the hidden layernorm tests."""

import numpy as np
import torch

from graders.checks import assert_array, assert_close

BACKWARD_NAMES = ("dx", "dgamma", "dbeta")


def random_case(rng, shape, k, *, scale=2.0, offset=0.0):
    """(x, gamma, beta) for x of `shape` normalized over its last k axes."""
    normalized = shape[len(shape) - k :]
    x = rng.normal(scale=scale, size=shape) + rng.normal(size=shape[: len(shape) - k] + (1,) * k)
    return x + offset, rng.normal(size=normalized), rng.normal(size=normalized)


def torch_layernorm(x, gamma, beta, *, eps=1e-5, grad_out=None):
    """(out, grads) by torch.nn.functional.layer_norm in float64; grads is (dx, dgamma, dbeta)
    when grad_out is given, else None."""
    xt = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    gt = torch.tensor(np.asarray(gamma, dtype=np.float64), requires_grad=True)
    bt = torch.tensor(np.asarray(beta, dtype=np.float64), requires_grad=True)
    out = torch.nn.functional.layer_norm(xt, tuple(gt.shape), gt, bt, eps)
    grads = None
    if grad_out is not None:
        (out * torch.from_numpy(np.asarray(grad_out, dtype=np.float64))).sum().backward()
        grads = (xt.grad.numpy(), gt.grad.numpy(), bt.grad.numpy())
    return out.detach().numpy(), grads


def check_out(value, shape):
    return assert_array(value, what="layernorm_forward's result", shape=shape, dtype=np.float64)


def check_backward(result, shape, normalized):
    assert isinstance(result, tuple) and len(result) == 3, (
        f"layernorm_backward must return a tuple (dx, dgamma, dbeta), got {type(result).__name__}"
        + (f" of {len(result)} items" if isinstance(result, tuple | list) else "")
    )
    shapes = (shape, normalized, normalized)
    return tuple(
        assert_array(value, what=name, shape=s, dtype=np.float64)
        for value, name, s in zip(result, BACKWARD_NAMES, shapes, strict=True)
    )


def compare_grads(got, expected, *, rtol, atol, where):
    for value, reference, name in zip(got, expected, BACKWARD_NAMES, strict=True):
        assert_close(value, reference, rtol=rtol, atol=atol, what=f"{name} ({where})")
