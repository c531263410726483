"""Trusted losses, a trusted training step and checks for the hidden gan-losses tests."""

import torch
import torch.nn.functional as F

from graders.checks import assert_close

DATA_MEAN = 4.0
DATA_STD = 1.25


def trusted_d_loss(real_logits, fake_logits):
    real = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake


def trusted_g_loss(fake_logits):
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def trusted_step(generator, discriminator, real, z, *, lr_d, lr_g):
    """The statement's step on the checker's own copies: returns (d_loss, g_loss)."""
    d_params, g_params = list(discriminator.parameters()), list(generator.parameters())
    d_loss = trusted_d_loss(discriminator(real), discriminator(generator(z).detach()))
    grads = torch.autograd.grad(d_loss, d_params)
    with torch.no_grad():
        for param, grad in zip(d_params, grads, strict=True):
            param.sub_(lr_d * grad)
    g_loss = trusted_g_loss(discriminator(generator(z)))
    grads = torch.autograd.grad(g_loss, g_params)
    with torch.no_grad():
        for param, grad in zip(g_params, grads, strict=True):
            param.sub_(lr_g * grad)
    return float(d_loss.detach()), float(g_loss.detach())


def batch(source, n, z_dim=2, dtype=torch.float32):
    """(real, z): n samples of N(DATA_MEAN, DATA_STD^2) of shape (n, 1), and noise (n, z_dim)."""
    real = DATA_MEAN + DATA_STD * torch.randn(n, 1, generator=source, dtype=torch.float64)
    z = torch.randn(n, z_dim, generator=source, dtype=torch.float64)
    return real.to(dtype), z.to(dtype)


def check_loss(value, dtype, what):
    """A 0-d floating tensor of `dtype`; returns it."""
    assert isinstance(value, torch.Tensor), f"{what} must be a torch tensor, got {type(value)}"
    assert value.ndim == 0, (
        f"{what} must be a 0-d tensor (a scalar), got shape {tuple(value.shape)}"
    )
    assert value.dtype == dtype, f"{what} must have the logits' dtype {dtype}, got {value.dtype}"
    assert torch.isfinite(value), f"{what} must be finite, got {value.item()}"
    return value


def check_step_result(result, generator, discriminator):
    """The dict of the contract, with state dicts shaped like the modules'; returns it."""
    assert isinstance(result, dict), f"train_step must return a dict, got {type(result).__name__}"
    expected_keys = {"d_loss", "g_loss", "generator", "discriminator"}
    assert set(result) == expected_keys, (
        f"train_step must return the keys {sorted(expected_keys)}, got {sorted(result)}"
    )
    for key in ("d_loss", "g_loss"):
        assert isinstance(result[key], float), (
            f"{key} must be a Python float, got {type(result[key]).__name__}"
        )
    for key, module in (("generator", generator), ("discriminator", discriminator)):
        state, expected = result[key], module.state_dict()
        assert isinstance(state, dict) and set(state) == set(expected), (
            f"{key} must be the module's state_dict() with keys {sorted(expected)}"
        )
        for name, tensor in expected.items():
            got = state[name]
            assert isinstance(got, torch.Tensor) and got.shape == tensor.shape, (
                f"{key}[{name!r}] must be a tensor of shape {tuple(tensor.shape)}"
            )
            assert got.dtype == tensor.dtype, f"{key}[{name!r}] must stay {tensor.dtype}"
    return result


def assert_state_close(got, module, *, rtol, atol, what):
    for name, expected in module.state_dict().items():
        assert_close(got[name], expected, rtol=rtol, atol=atol, what=f"{what}[{name!r}]")
