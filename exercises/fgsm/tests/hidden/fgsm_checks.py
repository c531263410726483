"""Models, a trusted FGSM and checks shared by the hidden FGSM tests (runs in the checker only)."""

import torch
import torch.nn.functional as F


def input_gradient(model, x, y):
    """The gradient of the summed cross-entropy with respect to x, by the checker's autograd."""
    leaf = x.detach().clone().requires_grad_(True)
    loss = F.cross_entropy(model(leaf), y, reduction="sum")
    (grad,) = torch.autograd.grad(loss, leaf)
    return grad


def random_linear(seed, d_in, classes, dtype=torch.float32):
    """A linear classifier with N(0, 1) weights (so input gradients are far from 0)."""
    generator = torch.Generator().manual_seed(seed)
    model = torch.nn.Linear(d_in, classes).to(dtype)
    with torch.no_grad():
        model.weight.copy_(torch.randn(classes, d_in, generator=generator, dtype=dtype))
        model.bias.copy_(torch.randn(classes, generator=generator, dtype=dtype))
    return model.eval()


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


def assert_fgsm(got, x, grad, epsilon, clip_min, clip_max, *, rtol, atol, what):
    """got == clip(x + epsilon * sign(grad)); where a gradient entry is (relatively) so close to 0
    that rounding could flip its sign, any of the three signs is accepted."""
    check_result(got, x, what)
    got, x, grad = got.double(), x.double(), grad.double()

    def attacked(sign):
        return (x + epsilon * sign).clamp(clip_min, clip_max)

    def matches(expected):
        return (got - expected).abs() <= atol + rtol * expected.abs()

    ok = matches(attacked(grad.sign()))
    if grad.numel():
        per_sample = grad.abs().flatten(1).amax(dim=1).reshape(-1, *[1] * (grad.ndim - 1))
        near_zero = grad.abs() <= 1e-4 * per_sample
        for sign in (-1.0, 0.0, 1.0):
            ok |= near_zero & matches(attacked(torch.full_like(x, sign)))
    if not ok.all():
        index = tuple(int(i) for i in (~ok).nonzero()[0])
        expected = attacked(grad.sign())
        raise AssertionError(
            f"{what}: {int((~ok).sum())} of {ok.numel()} values differ from "
            f"clip(x + epsilon * sign(grad)); at index {index}: x={float(x[index]):.6g}, "
            f"gradient {float(grad[index]):.3g}, expected {float(expected[index]):.6g}, "
            f"got {float(got[index]):.6g} (epsilon={epsilon}, range [{clip_min}, {clip_max}])"
        )


def accuracy(model, x, y):
    with torch.no_grad():
        return (model(x).argmax(dim=1) == y).double().mean().item()
