"""The trusted torch clipping and the checks shared by the hidden grad-clipping tests."""

import numpy as np
import torch

from graders.checks import assert_close

SHAPES = [(4, 3), (7,), (), (2, 2, 3), (1,)]


def random_grads(rng, shapes=SHAPES, *, scale=1.0):
    """Gradients of the given shapes, each with its own magnitude."""
    return [scale * 10.0 ** rng.uniform(-1, 1) * rng.normal(size=shape) for shape in shapes]


def torch_clip(grads, max_norm, norm_type=2.0):
    """(clipped, total_norm) from torch.nn.utils.clip_grad_norm_ in float64.

    Gradients without entries stay out of torch's call (its max norm refuses empty tensors);
    they cannot change the norm and stay empty.
    """
    grads = [np.asarray(g, dtype=np.float64) for g in grads]
    leaves = {}
    for i, g in enumerate(grads):
        if g.size:
            leaves[i] = torch.nn.Parameter(torch.zeros(g.shape, dtype=torch.float64))
            leaves[i].grad = torch.tensor(g)
    total = torch.nn.utils.clip_grad_norm_(list(leaves.values()), max_norm, norm_type=norm_type)
    clipped = [
        leaves[i].grad.numpy().copy() if i in leaves else g.copy() for i, g in enumerate(grads)
    ]
    return clipped, float(total)


def check_result(result, grads, *, finite=True):
    """Assert (clipped, total_norm) of the contract; return them with the arrays checked."""
    assert isinstance(result, tuple) and len(result) == 2, (
        f"clip_grad_norm must return a tuple (clipped, total_norm), got {type(result).__name__}"
    )
    clipped, total = result
    assert isinstance(clipped, list), f"clipped must be a list, got {type(clipped).__name__}"
    assert len(clipped) == len(grads), (
        f"clipped must have one array per gradient ({len(grads)}), got {len(clipped)}"
    )
    checked = []
    for i, (c, g) in enumerate(zip(clipped, grads, strict=True)):
        if np.shape(g) == () and isinstance(c, np.float64):
            c = np.asarray(c)
        assert isinstance(c, np.ndarray), (
            f"clipped[{i}] must be a numpy array, got {type(c).__name__}"
        )
        assert c.shape == np.shape(g), f"clipped[{i}] must have shape {np.shape(g)}, got {c.shape}"
        assert c.dtype == np.float64, f"clipped[{i}] must be float64, got {c.dtype}"
        if finite:
            assert np.isfinite(c).all(), f"clipped[{i}] has NaN or infinite values"
        checked.append(c)
    assert isinstance(total, float), (
        f"total_norm must be a float, got {type(total).__name__} (use float(...))"
    )
    return checked, float(total)


def compare_with_torch(solution, grads, max_norm, tolerances, *, norm_type=2.0, finite=True):
    """Call the candidate and compare the clipped gradients and the total norm with torch's."""
    expected, expected_total = torch_clip(grads, max_norm, norm_type)
    where = f"max_norm={max_norm!r}, norm_type={norm_type!r}"
    clipped, total = check_result(
        solution.clip_grad_norm(grads, max_norm, norm_type=norm_type), grads, finite=finite
    )
    tol = {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}
    assert_close(total, expected_total, **tol, what=f"{where}: total_norm")
    for i, (c, e) in enumerate(zip(clipped, expected, strict=True)):
        assert_close(c, e, **tol, what=f"{where}: clipped[{i}]")
    return clipped, total
