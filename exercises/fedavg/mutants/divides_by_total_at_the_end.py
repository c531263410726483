"""Wrong: sums n_k * theta_k and divides by N last, which overflows for large parameters."""

import numpy as np


def _flatten(model, what):
    """(keys, arrays, is_dict): a model as an ordered list of float64 arrays."""
    if isinstance(model, dict):
        keys = list(model)
        return keys, [np.asarray(model[k], dtype=np.float64) for k in keys], True
    if isinstance(model, (list, tuple)):
        return None, [np.asarray(p, dtype=np.float64) for p in model], False
    raise ValueError(f"{what} must be a list or a dict of arrays, got {type(model).__name__}")


def _rebuild(keys, arrays, is_dict):
    return dict(zip(keys, arrays, strict=True)) if is_dict else arrays


def _check_structure(reference, other, what):
    keys, arrays, is_dict = reference
    other_keys, other_arrays, other_is_dict = other
    if is_dict != other_is_dict:
        raise ValueError(f"{what} is not the same kind of model (list or dict) as client 0")
    if is_dict and set(keys) != set(other_keys):
        raise ValueError(f"{what} has keys {sorted(other_keys)}, client 0 has {sorted(keys)}")
    if is_dict:
        by_key = dict(zip(other_keys, other_arrays, strict=True))
        other_arrays = [by_key[k] for k in keys]
    if len(other_arrays) != len(arrays):
        raise ValueError(f"{what} has {len(other_arrays)} arrays, client 0 has {len(arrays)}")
    for index, (a, b) in enumerate(zip(arrays, other_arrays, strict=True)):
        if a.shape != b.shape:
            raise ValueError(f"{what}: array {index} has shape {b.shape}, expected {a.shape}")
    return other_arrays


def _weights(client_sizes, count):
    try:
        sizes = np.asarray(client_sizes, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("client_sizes must be numbers") from None
    if sizes.shape != (count,):
        raise ValueError(f"expected {count} client sizes, got shape {sizes.shape}")
    if not np.isfinite(sizes).all() or (sizes < 0).any():
        raise ValueError("client sizes must be finite and >= 0")
    total = sizes.sum()
    if not total > 0:
        raise ValueError("at least one client must have a positive size")
    return sizes


def _average(client_models, client_sizes):
    if not isinstance(client_models, (list, tuple)) or len(client_models) == 0:
        raise ValueError("client_models must be a non-empty list of models")
    weights = _weights(client_sizes, len(client_models))
    first = _flatten(client_models[0], "client 0")
    clients = [first[1]] + [
        _check_structure(first, _flatten(model, f"client {i}"), f"client {i}")
        for i, model in enumerate(client_models[1:], start=1)
    ]
    # Weights are normalised first, so no term exceeds the largest parameter: no overflow.
    # Clients of size 0 are skipped, not multiplied by 0 (their NaNs must not leak).
    used = [(w, arrays) for w, arrays in zip(weights, clients, strict=True) if w > 0]
    total = sum(w for w, _ in used)
    averaged = [
        np.asarray(sum(w * arrays[j] for w, arrays in used) / total)
        for j in range(len(first[1]))
    ]
    return first, averaged


def fedavg(client_models, client_sizes):
    first, averaged = _average(client_models, client_sizes)
    return _rebuild(first[0], averaged, first[2])


def server_update(global_model, client_models, client_sizes, *, server_lr=1.0):
    first, averaged = _average(client_models, client_sizes)
    current = _check_structure(first, _flatten(global_model, "global_model"), "global_model")
    updated = [np.asarray(g + server_lr * (a - g)) for g, a in zip(current, averaged, strict=True)]
    return _rebuild(first[0], updated, first[2])
