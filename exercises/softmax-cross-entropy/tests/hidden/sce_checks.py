"""Trusted computations (torch) and checks for the hidden softmax-cross-entropy tests."""

import numpy as np
import torch

from graders.checks import assert_array, assert_close


def random_logits(rng, n, classes, scale=3.0):
    return rng.normal(scale=scale, size=(n, classes)), rng.integers(0, classes, size=n)


def torch_cross_entropy(logits, targets, *, label_smoothing=0.0, reduction="mean"):
    """(loss, grad) by torch.nn.functional.cross_entropy and autograd in float64."""
    z = torch.tensor(np.asarray(logits, dtype=np.float64), requires_grad=True)
    loss = torch.nn.functional.cross_entropy(
        z,
        torch.as_tensor(np.asarray(targets, dtype=np.int64)),
        label_smoothing=label_smoothing,
        reduction=reduction,
    )
    loss.backward()
    return float(loss), z.grad.numpy()


def torch_log_softmax(logits):
    return torch.log_softmax(torch.tensor(np.asarray(logits, dtype=np.float64)), dim=-1).numpy()


def check_result(result, n, classes):
    """Assert (loss, grad): a finite float and a finite float64 (N, C) array; return them."""
    assert isinstance(result, tuple) and len(result) == 2, (
        f"softmax_cross_entropy must return a tuple (loss, grad), got {type(result).__name__}"
        + (f" of {len(result)} items" if isinstance(result, tuple | list) else "")
    )
    loss, grad = result
    assert isinstance(loss, float), (
        f"loss must be a Python float, got {type(loss).__name__}"
        + (f" of shape {loss.shape}" if hasattr(loss, "shape") else "")
        + " (use float(...))"
    )
    assert np.isfinite(loss), f"loss must be finite, got {loss}"
    assert_array(grad, what="grad", shape=(n, classes), dtype=np.float64)
    return float(loss), grad


def compare(got, expected, *, tolerances, where):
    loss, grad = got
    assert_close(
        loss, expected[0], rtol=tolerances["rtol"], atol=tolerances["atol"], what=f"loss ({where})"
    )
    assert_close(
        grad, expected[1], rtol=tolerances["rtol"], atol=tolerances["atol"], what=f"grad ({where})"
    )
