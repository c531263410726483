"""Data, a trusted FedAvg and checks for the hidden fedavg tests (checker only)."""

import numpy as np

from graders.checks import assert_array, assert_close

SHAPES = {"conv": (3, 2, 2), "dense": (6, 4), "bias": (4,), "scale": ()}


def random_clients(rng, count, *, as_dict, shapes=SHAPES, scale=1.0):
    """`count` models of the given shapes (a dict, or a list in the order of `shapes`)."""
    models = []
    for _ in range(count):
        arrays = {name: scale * rng.normal(size=shape) for name, shape in shapes.items()}
        models.append(arrays if as_dict else list(arrays.values()))
    return models


def trusted_average(models, sizes):
    """The weighted mean, one client at a time, skipping clients of size 0."""
    sizes = np.asarray(sizes, dtype=np.float64)
    weights = sizes / sizes.sum()
    keys = list(models[0]) if isinstance(models[0], dict) else range(len(models[0]))
    result = {}
    for key in keys:
        total = np.zeros(np.shape(models[0][key]))
        for weight, model in zip(weights, models, strict=True):
            if weight > 0:
                total = total + weight * np.asarray(model[key], dtype=np.float64)
        result[key] = total
    return result if isinstance(models[0], dict) else [result[k] for k in keys]


def check_model(value, like, what):
    """The structure of `like` (list or dict, same keys), float64 arrays of its shapes."""
    items = like.items() if isinstance(like, dict) else enumerate(like)
    if isinstance(like, dict):
        assert isinstance(value, dict), f"{what} must be a dict, got {type(value).__name__}"
        assert set(value) == set(like), (
            f"{what} must have the keys {sorted(like)}, got {sorted(value)}"
        )
    else:
        assert isinstance(value, list), f"{what} must be a list, got {type(value).__name__}"
        assert len(value) == len(like), f"{what} must have {len(like)} arrays, got {len(value)}"
    checked = {}
    for key, array in items:
        got = value[key]
        if np.shape(array) == () and type(got) is np.float64:
            got = np.asarray(got)
        checked[key] = assert_array(
            got, what=f"{what}[{key!r}]", shape=np.shape(array), dtype=np.float64, finite=False
        )
    return checked if isinstance(like, dict) else [checked[i] for i in range(len(like))]


def assert_models_close(got, expected, *, rtol, atol, what):
    keys = expected.keys() if isinstance(expected, dict) else range(len(expected))
    for key in keys:
        assert_close(got[key], expected[key], rtol=rtol, atol=atol, what=f"{what}[{key!r}]")
