"""Trusted computations and checks shared by the hidden dropout tests (checker only)."""

import numpy as np

from graders.checks import assert_array, assert_close


def expected_mask(shape, p, seed):
    """The contract's mask, drawn here in the checker."""
    return np.random.default_rng(seed).random(shape) >= p


def expected_out(x, mask, p):
    """x * mask / (1 - p) in float64 (zeros when p = 1)."""
    x = np.asarray(x, dtype=np.float64)
    if p == 1:
        return np.zeros_like(x)
    return x * mask / (1.0 - p)


def rtol_for(dtype, tolerances):
    return tolerances["rtol32"] if np.dtype(dtype) == np.float32 else tolerances["rtol64"]


def zero_d(value, shape):
    """For 0-d inputs NumPy arithmetic returns scalars: accept a NumPy scalar as a 0-d array."""
    if shape == () and isinstance(value, np.generic):
        return np.asarray(value)
    return value


def check_backward(value, shape, dtype):
    """Assert dropout_backward returned an array of the given shape and dtype; return it."""
    return assert_array(
        zero_d(value, shape),
        what="dropout_backward's result",
        shape=shape,
        dtype=dtype,
        finite=False,
    )


def check_forward(result, shape, dtype, *, training=True):
    """Assert dropout_forward returned (out, mask) of the contract; return them."""
    assert isinstance(result, tuple) and len(result) == 2, (
        f"dropout_forward must return a tuple (out, mask), got {type(result).__name__}"
        + (f" of {len(result)} items" if isinstance(result, tuple | list) else "")
    )
    out, mask = zero_d(result[0], shape), zero_d(result[1], shape)
    assert_array(out, what="out", shape=shape, dtype=dtype, finite=False)
    if not training:
        assert mask is None, f"with training=False the mask must be None, got {type(mask).__name__}"
        return out, None
    assert_array(mask, what="mask", shape=shape, dtype=np.bool_)
    return out, mask


def check_values(got, expected, *, dtype, tolerances, what):
    assert_close(got, expected, rtol=rtol_for(dtype, tolerances), atol=0.0, what=what)


def assert_same_mask(got, expected, what):
    if not np.array_equal(got, expected):
        differ = int(np.count_nonzero(got != expected))
        raise AssertionError(
            f"{what}: the mask differs from rng.random(x.shape) >= p at {differ} of "
            f"{expected.size} positions (kept {int(got.sum())}, expected {int(expected.sum())})"
        )
