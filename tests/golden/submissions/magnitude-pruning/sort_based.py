"""Golden submission for magnitude-pruning: correct, written differently from the reference (a full sort to find the threshold)."""

# expect: ACCEPTED

import numpy as np

def magnitude_masks(weights, sparsity, *, scope="global", masks=None):
    if not isinstance(weights, dict):
        raise ValueError("weights")
    if isinstance(sparsity, bool) or not isinstance(sparsity, (int, float)) or not (0 <= sparsity <= 1):
        raise ValueError("sparsity")
    if scope not in ("global", "layer"):
        raise ValueError("scope")
    arrs = {}
    for k, v in weights.items():
        a = np.asarray(v)
        if a.dtype.kind not in "iuf" or not np.all(np.isfinite(a)):
            raise ValueError("w")
        arrs[k] = a
    if masks is not None:
        if not isinstance(masks, dict) or list(masks) != list(arrs):
            raise ValueError("masks")
        for k in masks:
            m = np.asarray(masks[k])
            if m.dtype != bool or m.shape != arrs[k].shape:
                raise ValueError("mask")
    keep = {k: (np.ones(a.shape, bool) if masks is None else np.array(masks[k], dtype=bool)) for k, a in arrs.items()}
    groups = [[k] for k in arrs] if scope == "layer" else [list(arrs)]
    out = {k: keep[k].copy() for k in arrs}
    for g in groups:
        if not g:
            continue
        mags = np.concatenate([np.abs(arrs[k].astype(np.float64)).ravel() for k in g])
        kp = np.concatenate([keep[k].ravel() for k in g])
        idx = np.flatnonzero(kp)
        n = round(sparsity * idx.size)
        order = idx[np.argsort(mags[idx], kind="stable")][:n]
        kp = kp.copy(); kp[order] = False
        s = 0
        for k in g:
            out[k] = kp[s:s + arrs[k].size].reshape(arrs[k].shape); s += arrs[k].size
    return out
