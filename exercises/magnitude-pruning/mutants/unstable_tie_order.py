"""Wrong: picks the k smallest with np.argpartition, which breaks ties in no fixed order."""

import numbers

import numpy as np

SCOPES = ("global", "layer")


def _magnitudes(weights):
    if not isinstance(weights, dict):
        raise ValueError(f"weights must be a dict of arrays, got {type(weights).__name__}")
    magnitudes = {}
    for name, value in weights.items():
        value = np.asarray(value)
        if value.dtype.kind not in "iuf":
            raise ValueError(f"weights[{name!r}] must hold real numbers, got dtype {value.dtype}")
        value = np.abs(value.astype(np.float64))
        if not np.isfinite(value).all():
            raise ValueError(f"weights[{name!r}] contains NaN or infinite values")
        magnitudes[name] = value
    return magnitudes


def _previous_masks(masks, magnitudes):
    if masks is None:
        return {name: np.ones(m.shape, dtype=bool) for name, m in magnitudes.items()}
    if not isinstance(masks, dict) or list(masks) != list(magnitudes):
        raise ValueError("masks must be a dict with the keys of weights, in the same order")
    checked = {}
    for name, mask in masks.items():
        mask = np.asarray(mask)
        if mask.dtype != bool or mask.shape != magnitudes[name].shape:
            raise ValueError(f"masks[{name!r}] must be a bool array of the shape of its weight")
        checked[name] = mask
    return checked


def _prune_smallest(magnitudes, count):
    """A bool array: True at the `count` smallest entries, earlier positions first among ties."""
    pruned = np.zeros(magnitudes.shape, dtype=bool)
    if count == 0:
        return pruned
    # The count-th smallest value is the threshold: everything below goes, then as many of the
    # entries equal to it as are still needed, in order. Linear time, unlike a full sort.
    pruned[np.argpartition(magnitudes, count - 1)[:count]] = True
    return pruned


def _prune(magnitudes, keep, sparsity):
    """New keep-mask for one flat group: round(sparsity * kept) of the kept entries go."""
    candidates = magnitudes[keep]
    count = round(sparsity * candidates.size)  # Python's round: halves to even, like torch
    new_keep = keep.copy()
    new_keep[np.flatnonzero(keep)[_prune_smallest(candidates, count)]] = False
    return new_keep


def magnitude_masks(weights, sparsity, *, scope="global", masks=None):
    if isinstance(sparsity, bool) or not isinstance(sparsity, numbers.Real):
        raise ValueError(f"sparsity must be a number, got {sparsity!r}")
    if not 0.0 <= sparsity <= 1.0:
        raise ValueError(f"sparsity must lie in [0, 1], got {sparsity!r}")
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, got {scope!r}")
    magnitudes = _magnitudes(weights)
    keep = _previous_masks(masks, magnitudes)
    if scope == "layer":
        return {
            name: _prune(m.ravel(), keep[name].ravel(), sparsity).reshape(m.shape)
            for name, m in magnitudes.items()
        }
    if not magnitudes:
        return {}
    flat = _prune(
        np.concatenate([m.ravel() for m in magnitudes.values()]),
        np.concatenate([k.ravel() for k in keep.values()]),
        sparsity,
    )
    result, start = {}, 0
    for name, m in magnitudes.items():
        result[name] = flat[start : start + m.size].reshape(m.shape)
        start += m.size
    return result
