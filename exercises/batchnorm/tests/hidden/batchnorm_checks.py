"""Data, trusted computations (torch.nn.BatchNorm1d) and checks for the hidden batchnorm tests."""

import numpy as np
import torch

from graders.checks import assert_array, assert_close


def random_case(rng, shape, *, scale=2.0, offset=0.0):
    """(x, gamma, beta, running_mean, running_var) for an input of `shape`."""
    channels = shape[1]
    centers = rng.normal(size=channels) + offset
    x = rng.normal(scale=scale, size=shape) + (centers if len(shape) == 2 else centers[:, None])
    gamma = rng.normal(size=channels)
    beta = rng.normal(size=channels)
    running_mean = rng.normal(size=channels)
    running_var = rng.uniform(0.5, 2.0, size=channels)
    return x, gamma, beta, running_mean, running_var


def torch_batchnorm(
    x,
    gamma,
    beta,
    running_mean,
    running_var,
    *,
    training=True,
    momentum=0.1,
    eps=1e-5,
    grad_out=None,
):
    """(out, new_running_mean, new_running_var, grads) by torch.nn.BatchNorm1d in float64;
    grads is (dx, dgamma, dbeta) when grad_out is given, else None."""
    layer = torch.nn.BatchNorm1d(x.shape[1], eps=eps, momentum=momentum, dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(np.asarray(gamma, dtype=np.float64)))
        layer.bias.copy_(torch.from_numpy(np.asarray(beta, dtype=np.float64)))
        layer.running_mean.copy_(torch.from_numpy(np.asarray(running_mean, dtype=np.float64)))
        layer.running_var.copy_(torch.from_numpy(np.asarray(running_var, dtype=np.float64)))
    layer.train(training)
    xt = torch.tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    out = layer(xt)
    grads = None
    if grad_out is not None:
        (out * torch.from_numpy(np.asarray(grad_out, dtype=np.float64))).sum().backward()
        grads = (xt.grad.numpy(), layer.weight.grad.numpy(), layer.bias.grad.numpy())
    return (
        out.detach().numpy(),
        layer.running_mean.numpy().copy(),
        layer.running_var.numpy().copy(),
        grads,
    )


def check_triple(result, shape, channels, names):
    """Assert a tuple of three float64 arrays: the first of `shape`, the others (C,)."""
    assert isinstance(result, tuple) and len(result) == 3, (
        f"expected a tuple ({', '.join(names)}), got {type(result).__name__}"
        + (f" of {len(result)} items" if isinstance(result, tuple | list) else "")
    )
    shapes = (shape, (channels,), (channels,))
    return tuple(
        assert_array(value, what=name, shape=s, dtype=np.float64)
        for value, name, s in zip(result, names, shapes, strict=True)
    )


FORWARD_NAMES = ("out", "new_running_mean", "new_running_var")
BACKWARD_NAMES = ("dx", "dgamma", "dbeta")


def check_forward(result, shape):
    return check_triple(result, shape, shape[1], FORWARD_NAMES)


def check_backward(result, shape):
    return check_triple(result, shape, shape[1], BACKWARD_NAMES)


def compare(got, expected, names, *, rtol, atol, where):
    for value, reference, name in zip(got, expected, names, strict=True):
        assert_close(value, reference, rtol=rtol, atol=atol, what=f"{name} ({where})")
