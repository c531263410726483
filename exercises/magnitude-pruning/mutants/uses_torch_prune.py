"""Wrong: delegates to torch.nn.utils.prune, which the exercise bans."""

import numbers

import numpy as np
import torch
from torch.nn.utils import prune


class _Holder(torch.nn.Module):
    def __init__(self, weight, mask):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.tensor(weight, dtype=torch.float64))
        if mask is not None:
            prune.custom_from_mask(self, "weight", torch.tensor(mask))


def magnitude_masks(weights, sparsity, *, scope="global", masks=None):
    if not isinstance(weights, dict) or scope not in ("global", "layer"):
        raise ValueError("bad weights or scope")
    if isinstance(sparsity, bool) or not isinstance(sparsity, numbers.Real):
        raise ValueError("bad sparsity")
    if not 0.0 <= sparsity <= 1.0:
        raise ValueError("bad sparsity")
    arrays = {}
    for name, value in weights.items():
        value = np.asarray(value)
        if value.dtype.kind not in "iuf" or not np.isfinite(value).all():
            raise ValueError(f"bad weights[{name!r}]")
        arrays[name] = value.astype(np.float64)
    if masks is not None:
        if not isinstance(masks, dict) or list(masks) != list(arrays):
            raise ValueError("bad masks")
        for name, mask in masks.items():
            mask = np.asarray(mask)
            if mask.dtype != bool or mask.shape != arrays[name].shape:
                raise ValueError(f"bad masks[{name!r}]")
    holders = {
        name: _Holder(value, None if masks is None else masks[name])
        for name, value in arrays.items()
    }
    if not holders:
        return {}
    if scope == "global":
        prune.global_unstructured(
            [(h, "weight") for h in holders.values()],
            pruning_method=prune.L1Unstructured,
            amount=float(sparsity),
        )
    else:
        for holder in holders.values():
            prune.l1_unstructured(holder, "weight", amount=float(sparsity))
    return {name: h.weight_mask.numpy() != 0 for name, h in holders.items()}
