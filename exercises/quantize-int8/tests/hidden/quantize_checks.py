"""Data and trusted PyTorch computations shared by the hidden quantization tests (checker only)."""

import contextlib
import numbers
import warnings

import numpy as np
import torch
from torch.ao.quantization.observer import MinMaxObserver, PerChannelMinMaxObserver

from graders.checks import assert_array

TORCH_DTYPES = {"int8": torch.qint8, "uint8": torch.quint8}
RANGES = {"int8": (-128, 127), "uint8": (0, 255)}


@contextlib.contextmanager
def _quiet():
    """PyTorch warns that its quantized tensors are deprecated; the tests know."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def channel_shape(ndim, axis):
    shape = [1] * ndim
    shape[axis] = -1
    return shape


def away_from_boundaries(x, scale, axis=None):
    """x (float32) with every value whose x / scale is within 0.002 of a rounding boundary
    (k + 0.5) moved by 0.01 * scale: float32 and float64 arithmetic then round alike."""
    x = np.asarray(x, dtype=np.float32)
    scale = np.asarray(scale, dtype=np.float64)
    if axis is not None:
        scale = scale.reshape(channel_shape(x.ndim, axis))
    steps = x.astype(np.float64) / scale
    near = np.abs(steps - np.floor(steps) - 0.5) < 2e-3
    moved = (x.astype(np.float64) + 0.01 * scale).astype(np.float32)
    return np.where(near, moved, x)


def random_case(rng, shape, dtype, *, axis=None):
    """(x, scale, zero_point) with scales of various sizes, data past the range at times."""
    qmin, qmax = RANGES[dtype]
    count = 1 if axis is None else shape[axis]
    scale = (10.0 ** rng.uniform(-3, 0, size=count)).astype(np.float32)
    zero_point = rng.integers(qmin, qmax + 1, size=count)
    if axis is None:
        scale, zero_point = float(scale[0]), int(zero_point[0])
    spread = rng.uniform(20, 200) * np.median(scale)
    x = rng.normal(scale=spread, size=shape).astype(np.float32)
    return away_from_boundaries(x, scale, axis), scale, zero_point


def torch_quantize(x, scale, zero_point, dtype, axis=None):
    """PyTorch's quantized tensor of x (float32)."""
    with _quiet():
        tensor = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
        if axis is None:
            return torch.quantize_per_tensor(tensor, scale, zero_point, TORCH_DTYPES[dtype])
        return torch.quantize_per_channel(
            tensor,
            torch.tensor(np.asarray(scale, dtype=np.float64)),
            torch.tensor(np.asarray(zero_point, dtype=np.int64)),
            axis % x.ndim,
            TORCH_DTYPES[dtype],
        )


def torch_int_repr(x, scale, zero_point, dtype, axis=None):
    with _quiet():
        return torch_quantize(x, scale, zero_point, dtype, axis).int_repr().numpy()


def torch_dequantize(x, scale, zero_point, dtype, axis=None):
    """(q, PyTorch's dequantized float32 array) for x quantized by PyTorch."""
    with _quiet():
        quantized = torch_quantize(x, scale, zero_point, dtype, axis)
        return quantized.int_repr().numpy(), quantized.dequantize().numpy()


def torch_qparams(x, *, symmetric, dtype, axis=None):
    """(scale float32 array, zero_point int64 array) from PyTorch's min/max observers."""
    x = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
    with _quiet():
        if axis is None:
            scheme = torch.per_tensor_symmetric if symmetric else torch.per_tensor_affine
            observer = MinMaxObserver(dtype=TORCH_DTYPES[dtype], qscheme=scheme)
        else:
            scheme = torch.per_channel_symmetric if symmetric else torch.per_channel_affine
            observer = PerChannelMinMaxObserver(
                ch_axis=axis % x.ndim, dtype=TORCH_DTYPES[dtype], qscheme=scheme
            )
        observer(x)
        scale, zero_point = observer.calculate_qparams()
    return scale.numpy().astype(np.float32), zero_point.numpy().astype(np.int64)


def check_quantized(got, shape, dtype, what="quantize's result"):
    return assert_array(got, what=what, shape=shape, dtype=dtype)


def assert_integers_equal(got, expected, what):
    """Exact equality; the message names the first differing position and both values."""
    got, expected = np.asarray(got), np.asarray(expected)
    wrong = got.astype(np.int64) != expected.astype(np.int64)
    if wrong.any():
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        raise AssertionError(
            f"{what}: {int(wrong.sum())} of {wrong.size} values differ; at index {first} "
            f"expected {int(expected[first])}, got {int(got[first])}"
        )


def check_qparams(result, *, axis_length=None):
    """Assert the contract's return types; return (scale, zero_point) as float32/int64 arrays."""
    assert isinstance(result, tuple) and len(result) == 2, (
        f"choose_qparams must return a tuple (scale, zero_point), got {type(result).__name__}"
    )
    scale, zero_point = result
    if axis_length is None:
        assert isinstance(scale, numbers.Real) and not isinstance(scale, bool), (
            f"per tensor, scale must be a float, got {type(scale).__name__}"
        )
        assert isinstance(zero_point, numbers.Integral) and not isinstance(zero_point, bool), (
            f"per tensor, zero_point must be an int, got {type(zero_point).__name__}"
        )
        return np.array([scale], dtype=np.float64), np.array([zero_point], dtype=np.int64)
    assert_array(scale, what="per-channel scale", shape=(axis_length,), dtype=np.float32)
    assert_array(zero_point, what="per-channel zero_point", shape=(axis_length,), kind="iu")
    return scale.astype(np.float64), zero_point.astype(np.int64)
