"""Data and trusted expectations shared by the hidden class-weights tests (checker only)."""

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.utils.class_weight import compute_class_weight

from graders.checks import assert_array, assert_close


def imbalanced_labels(rng, n, k):
    """n labels in [0, k) with geometric class frequencies, every class present at least once."""
    p = 0.6 ** np.arange(k)
    y = rng.choice(k, size=n, p=p / p.sum())
    y[:k] = np.arange(k)
    return rng.permutation(y)


def problem(rng, n, c, *, scale=3.0, weights="random"):
    """(logits, targets, weights) with weights None, random positive, or with some zeros."""
    logits = rng.normal(scale=scale, size=(n, c))
    targets = rng.integers(c, size=n)
    if weights is None:
        return logits, targets, None
    w = rng.uniform(0.1, 5.0, size=c)
    if weights == "zeros":
        w[rng.random(c) < 0.3] = 0.0
        w[targets[0]] = 1.5  # keep the total target weight positive
    return logits, targets, w


def sklearn_weights(y, k):
    return compute_class_weight("balanced", classes=np.arange(k), y=np.asarray(y))


def torch_loss_and_grad(logits, targets, weights, reduction):
    """F.cross_entropy in float64 and, for "sum" and "mean", its gradient by autograd."""
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    t = torch.tensor(targets, dtype=torch.long)
    w = None if weights is None else torch.tensor(weights, dtype=torch.float64)
    loss = F.cross_entropy(z, t, weight=w, reduction=reduction)
    if reduction == "none":
        return loss.detach().numpy(), None
    loss.backward()
    return float(loss), z.grad.numpy()


def check_loss(got, expected, n, reduction, *, rtol, atol, where):
    what = f"weighted_cross_entropy ({where}, reduction={reduction!r})"
    if reduction == "none":
        assert_array(got, what=what, shape=(n,), dtype=np.float64)
    else:
        assert isinstance(got, float), f"{what} must be a float, got {type(got).__name__}" + (
            f" of shape {got.shape}" if hasattr(got, "shape") else ""
        )
        assert np.isfinite(got), f"{what} is {got}"
    assert_close(got, expected, rtol=rtol, atol=atol, what=what)


def check_grad(got, expected, *, rtol, atol, where):
    what = f"weighted_cross_entropy_grad ({where})"
    assert_array(got, what=what, shape=expected.shape, dtype=np.float64)
    assert_close(got, expected, rtol=rtol, atol=atol, what=what)
