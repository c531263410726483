"""Trusted PyTorch computation and checks shared by the hidden distillation tests (checker only)."""

import numbers

import numpy as np
import torch
import torch.nn.functional as F

from graders.checks import assert_array


def torch_loss_and_grad(student, teacher, labels, temperature, alpha):
    """(loss, d loss / d student) of the contract, by PyTorch float64 autograd."""
    s = torch.tensor(np.asarray(student, dtype=np.float64), requires_grad=True)
    t = torch.tensor(np.asarray(teacher, dtype=np.float64))
    y = torch.tensor(np.asarray(labels, dtype=np.int64))
    soft = F.kl_div(
        F.log_softmax(s / temperature, dim=1),
        F.log_softmax(t / temperature, dim=1),
        reduction="batchmean",
        log_target=True,
    )
    loss = alpha * temperature**2 * soft + (1 - alpha) * F.cross_entropy(s, y)
    loss.backward()
    return float(loss.detach()), s.grad.numpy()


def random_case(rng, n, classes, *, scale=3.0):
    student = rng.normal(scale=scale, size=(n, classes))
    teacher = rng.normal(scale=scale, size=(n, classes)) + 0.5 * student
    labels = rng.integers(0, classes, size=n)
    return student, teacher, labels


def check_result(result, n, classes):
    """Assert (loss, grad) of the contract; return them."""
    assert isinstance(result, tuple) and len(result) == 2, (
        f"distillation_loss must return a tuple (loss, grad), got {type(result).__name__}"
    )
    loss, grad = result
    assert isinstance(loss, numbers.Real) and not isinstance(loss, bool), (
        f"loss must be a float, got {type(loss).__name__}"
        + (f" of shape {loss.shape}" if hasattr(loss, "shape") else "")
    )
    assert np.isfinite(loss), f"loss must be finite, got {loss}"
    assert_array(grad, what="grad", shape=(n, classes), dtype=np.float64)
    return float(loss), grad
