"""Data, trusted computations (PyTorch's pruning, a plain stable sort) and checks (checker only)."""

import numpy as np
import torch
from torch.nn.utils import prune

from graders.checks import assert_array


class _Holder(torch.nn.Module):
    """A module with one parameter, `weight`, for torch.nn.utils.prune."""

    def __init__(self, weight):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.tensor(np.asarray(weight, dtype=np.float64)))


def random_layers(rng, count, *, max_side=24):
    """{"layer0": ..., ...}: random shapes (1-D to 3-D) with different scales per layer."""
    layers = {}
    for index in range(count):
        ndim = int(rng.integers(1, 4))
        shape = tuple(int(s) for s in rng.integers(1, max_side, size=ndim))
        layers[f"layer{index}"] = rng.normal(scale=10.0 ** rng.uniform(-2, 1), size=shape)
    return layers


def torch_masks(weights, schedule, scope):
    """PyTorch's masks after pruning `weights` with each sparsity of `schedule` in turn."""
    holders = {name: _Holder(w) for name, w in weights.items()}
    results = []
    for sparsity in schedule:
        if scope == "global":
            prune.global_unstructured(
                [(h, "weight") for h in holders.values()],
                pruning_method=prune.L1Unstructured,
                amount=sparsity,
            )
        else:
            for holder in holders.values():
                prune.l1_unstructured(holder, "weight", amount=sparsity)
        results.append({name: h.weight_mask.numpy() != 0 for name, h in holders.items()})
    return results


def stable_sort_masks(weights, sparsity, scope, masks=None):
    """The statement's rule written plainly: stable sort of |w| over the candidates."""

    def prune_group(magnitudes, keep):
        candidates = np.flatnonzero(keep)
        count = round(sparsity * candidates.size)
        order = candidates[np.argsort(magnitudes[candidates], kind="stable")]
        new_keep = keep.copy()
        new_keep[order[:count]] = False
        return new_keep

    magnitudes = {n: np.abs(np.asarray(w, dtype=np.float64)).ravel() for n, w in weights.items()}
    keep = {
        n: (np.ones(m.size, dtype=bool) if masks is None else np.asarray(masks[n]).ravel())
        for n, m in magnitudes.items()
    }
    shapes = {n: np.shape(w) for n, w in weights.items()}
    if scope == "layer":
        return {n: prune_group(magnitudes[n], keep[n]).reshape(shapes[n]) for n in weights}
    if not weights:
        return {}
    flat = prune_group(
        np.concatenate(list(magnitudes.values())), np.concatenate(list(keep.values()))
    )
    result, start = {}, 0
    for name, shape in shapes.items():
        size = int(np.prod(shape, dtype=np.int64))
        result[name] = flat[start : start + size].reshape(shape)
        start += size
    return result


def check_masks(got, weights, what="the result"):
    """Assert a dict with the keys of weights, in order, of bool arrays of their shapes."""
    assert isinstance(got, dict), f"{what} must be a dict, got {type(got).__name__}"
    assert list(got) == list(weights), (
        f"{what} must have the keys of weights in their order: expected {list(weights)}, "
        f"got {list(got)}"
    )
    for name, weight in weights.items():
        assert_array(got[name], what=f"{what}[{name!r}]", shape=np.shape(weight), dtype=bool)
    return got


def assert_masks_equal(got, expected, what):
    for name, mask in expected.items():
        wrong = got[name] != mask
        if wrong.any():
            first = tuple(int(i) for i in np.argwhere(wrong)[0])
            raise AssertionError(
                f"{what}: mask {name!r} differs at {int(wrong.sum())} of {wrong.size} positions; "
                f"at index {first} expected {bool(mask[first])} (kept={bool(mask[first])}), "
                f"got {bool(got[name][first])}"
            )
