"""A trusted PGD, models and checks shared by the hidden PGD tests (runs in the checker only)."""

import torch
import torch.nn.functional as F


def random_linear(seed, d_in, classes, dtype=torch.float32):
    """A linear classifier with N(0, 1) weights (so input gradients are far from 0)."""
    generator = torch.Generator().manual_seed(seed)
    model = torch.nn.Linear(d_in, classes).to(dtype)
    with torch.no_grad():
        model.weight.copy_(torch.randn(classes, d_in, generator=generator, dtype=dtype))
        model.bias.copy_(torch.randn(classes, generator=generator, dtype=dtype))
    return model.eval()


def random_start(x, epsilon, generator, clip_min=0.0, clip_max=1.0):
    """The contract's start: clip(x + epsilon * (2u - 1)), u = torch.rand(x.shape, ...)."""
    uniform = torch.rand(x.shape, generator=generator, dtype=x.dtype)
    return (x + epsilon * (2.0 * uniform - 1.0)).clamp(clip_min, clip_max)


def pgd(model, x, y, epsilon, alpha, steps, *, start=None, clip_min=0.0, clip_max=1.0):
    """The contract's iteration from `start` (x itself when None), by the checker's autograd."""
    x_adv = x.clone() if start is None else start.clone()
    for _ in range(steps):
        leaf = x_adv.detach().requires_grad_(True)
        loss = F.cross_entropy(model(leaf), y, reduction="sum")
        (grad,) = torch.autograd.grad(loss, leaf)
        delta = (x_adv + alpha * grad.sign() - x).clamp(-epsilon, epsilon)
        x_adv = (x + delta).clamp(clip_min, clip_max)
    return x_adv.detach()


def check_result(got, x, what="the result"):
    """Assert got is a plain detached tensor with x's shape and dtype; return it."""
    assert isinstance(got, torch.Tensor), f"{what} must be a torch.Tensor, got {type(got).__name__}"
    assert got.shape == x.shape, (
        f"{what} must have the shape of x {tuple(x.shape)}, got {tuple(got.shape)}"
    )
    assert got.dtype == x.dtype, f"{what} must have the dtype of x ({x.dtype}), got {got.dtype}"
    assert not got.requires_grad, f"{what} must be detached (requires_grad=False)"
    assert torch.isfinite(got).all(), f"{what} contains NaN or inf"
    return got


def check_constraints(got, x, epsilon, clip_min, clip_max, what="the result"):
    """Every entry within epsilon of x (up to float rounding) and inside [clip_min, clip_max]."""
    check_result(got, x, what)
    slack = 1e-6 * max(1.0, abs(clip_min), abs(clip_max))
    moved = float((got.double() - x.double()).abs().max()) if x.numel() else 0.0
    assert moved <= epsilon + slack, f"{what}: an entry moved {moved:.6g} > epsilon = {epsilon}"
    if x.numel():
        low, high = float(got.min()), float(got.max())
        assert low >= clip_min and high <= clip_max, (
            f"{what}: values in [{low:.6g}, {high:.6g}], outside [{clip_min}, {clip_max}]"
        )


def assert_matches(got, expected, x, *, rtol, atol, what, allowed_fraction=0.005):
    """got equals expected, except for at most `allowed_fraction` of the entries: a gradient entry
    within rounding of 0 may take another sign and send that entry down another path."""
    check_result(got, x, what)
    off = (got.double() - expected.double()).abs() > atol + rtol * expected.double().abs()
    if int(off.sum()) > allowed_fraction * off.numel():
        index = tuple(int(i) for i in off.nonzero()[0])
        raise AssertionError(
            f"{what}: {int(off.sum())} of {off.numel()} values differ from the expected attack; "
            f"at index {index}: x={float(x[index]):.6g}, expected {float(expected[index]):.6g}, "
            f"got {float(got[index]):.6g}"
        )


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).double().mean().item()
