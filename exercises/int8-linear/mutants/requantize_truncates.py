"""Wrong: requantize truncates toward zero (astype) instead of rounding half to even."""

import numpy as np

_RANGES = {np.dtype(np.int8): (-128, 127), np.dtype(np.uint8): (0, 255)}
_INT32 = np.iinfo(np.int32)


def _quantized_dtype(dtype):
    try:
        dtype = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"dtype must be int8 or uint8, got {dtype!r}") from exc
    if dtype not in _RANGES:
        raise ValueError(f"dtype must be int8 or uint8, got {dtype}")
    return dtype


def _matrix(value, name):
    if not isinstance(value, np.ndarray) or value.dtype not in _RANGES or value.ndim != 2:
        raise ValueError(f"{name} must be a 2-D numpy array of dtype int8 or uint8")
    return value


def _zero_point(value, dtype, name, length=None):
    """An integer (or, when `length` is given, also a 1-D array of that length) in dtype's range."""
    qmin, qmax = _RANGES[dtype]
    value = np.asarray(value)
    shapes = [()] if length is None else [(), (length,)]
    if value.dtype.kind not in "iu" or value.shape not in shapes:
        raise ValueError(
            f"{name} must be an integer" + (f" or {length} integers" if length else "")
        )
    if not ((value >= qmin).all() and (value <= qmax).all()):
        raise ValueError(f"{name} must lie in [{qmin}, {qmax}]")
    return value.astype(np.int64)


def _positive(value, name, length=None):
    """A positive finite float (or, when `length` is given, also a 1-D array of that length)."""
    value = np.asarray(value, dtype=np.float64)
    shapes = [()] if length is None else [(), (length,)]
    if value.shape not in shapes:
        raise ValueError(f"{name} must be a number" + (f" or {length} numbers" if length else ""))
    if not (np.isfinite(value).all() and (value > 0).all()):
        raise ValueError(f"{name} must be positive and finite")
    return value


def int8_matmul(a, b, *, a_zero_point=0, b_zero_point=0):
    a, b = _matrix(a, "a"), _matrix(b, "b")
    if a.shape[1] != b.shape[0]:
        raise ValueError(f"cannot multiply {a.shape} by {b.shape}")
    a_zero_point = _zero_point(a_zero_point, a.dtype, "a_zero_point")
    b_zero_point = _zero_point(b_zero_point, b.dtype, "b_zero_point", b.shape[1])
    # float64 products and sums of these integers are exact (every partial sum < 2**53) and
    # run on BLAS, unlike NumPy's integer matmul.
    product = (a.astype(np.float64) - a_zero_point) @ (b.astype(np.float64) - b_zero_point)
    return product.astype(np.int32)


def requantize(acc, multiplier, zero_point, *, dtype=np.int8):
    dtype = _quantized_dtype(dtype)
    if not isinstance(acc, np.ndarray) or acc.dtype.kind not in "iu" or acc.ndim < 1:
        raise ValueError("acc must be an integer numpy array with at least one dimension")
    multiplier = _positive(multiplier, "multiplier", acc.shape[-1])
    zero_point = _zero_point(zero_point, dtype, "zero_point")
    qmin, qmax = _RANGES[dtype]
    scaled = np.trunc(acc.astype(np.float64) * multiplier)
    return np.clip(scaled + zero_point, qmin, qmax).astype(dtype)


def quantized_linear(
    x,
    weight,
    bias=None,
    *,
    x_scale,
    x_zero_point,
    w_scale,
    out_scale,
    out_zero_point,
    out_dtype=np.uint8,
):
    x, weight = _matrix(x, "x"), _matrix(weight, "weight")
    if weight.dtype != np.int8:
        raise ValueError("weight must be int8")
    if x.shape[1] != weight.shape[1]:
        raise ValueError(f"x has {x.shape[1]} features, weight expects {weight.shape[1]}")
    out_features = weight.shape[0]
    x_scale = _positive(x_scale, "x_scale")
    w_scale = _positive(w_scale, "w_scale", out_features)
    out_scale = _positive(out_scale, "out_scale")
    acc = int8_matmul(x, weight.T, a_zero_point=x_zero_point)
    input_scale = x_scale * w_scale
    if bias is not None:
        bias = np.asarray(bias, dtype=np.float64)
        if bias.shape != (out_features,) or not np.isfinite(bias).all():
            raise ValueError(f"bias must be {out_features} finite floats")
        bias_q = np.rint(bias / input_scale)
        if (np.abs(bias_q) > _INT32.max).any():
            raise ValueError("the quantized bias does not fit in int32")
        acc = acc + bias_q.astype(np.int32)
    return requantize(acc, input_scale / out_scale, out_zero_point, dtype=out_dtype)
