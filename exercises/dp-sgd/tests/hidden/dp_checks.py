"""Data, a trusted (per-example loop) DP-SGD and checks for the hidden dp-sgd tests."""

import numpy as np

from graders.checks import assert_array, assert_close

# Parameter shapes of small models; () is a scalar parameter.
MODELS = [
    [(3,)],
    [(4, 3), (3,)],
    [(5, 4), (4,), (4, 2), (2,)],
    [(2, 3, 2), (), (6,)],
]


def random_grads(rng, batch, shapes, *, scale=1.0):
    """Per-sample gradients whose norms straddle 1: some examples get clipped, some do not."""
    sizes = rng.choice([0.1, 0.5, 1.0, 3.0, 20.0], size=batch)
    grads = [rng.normal(size=(batch, *shape)) for shape in shapes]
    total = np.sqrt(sum((g.reshape(batch, -1) ** 2).sum(axis=1) for g in grads))
    factor = scale * sizes / np.where(total > 0, total, 1.0)
    return [g * factor.reshape((batch,) + (1,) * (g.ndim - 1)) for g in grads]


def trusted_clip(grads, max_norm):
    clipped = [np.array(g, dtype=np.float64, copy=True) for g in grads]
    norms = np.zeros(len(grads[0]))
    for i in range(len(grads[0])):
        norms[i] = np.sqrt(sum(float((g[i] ** 2).sum()) for g in grads))
        if norms[i] > max_norm:
            for c in clipped:
                c[i] = c[i] * (max_norm / norms[i])
    return clipped, norms


def trusted_privatize(grads, max_norm, noise_multiplier, seed):
    gen = np.random.default_rng(seed)
    clipped, _ = trusted_clip(grads, max_norm)
    batch = len(grads[0])
    out = []
    for c in clipped:
        noise = noise_multiplier * max_norm * gen.standard_normal(c.shape[1:])
        out.append((c.sum(axis=0) + noise) / batch)
    return out


def check_list(value, shapes, what):
    """A list of float64 arrays with the given shapes (a float64 scalar is fine for shape ())."""
    assert isinstance(value, list), f"{what} must be a list of arrays, got {type(value).__name__}"
    assert len(value) == len(shapes), f"{what} must have {len(shapes)} arrays, got {len(value)}"
    checked = []
    for k, (array, shape) in enumerate(zip(value, shapes, strict=True)):
        if shape == () and type(array) is np.float64:
            array = np.asarray(array)
        checked.append(assert_array(array, what=f"{what}[{k}]", shape=shape, dtype=np.float64))
    return checked


def assert_lists_close(got, expected, *, rtol, atol, what):
    for k, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert_close(g, e, rtol=rtol, atol=atol, what=f"{what}[{k}]")
