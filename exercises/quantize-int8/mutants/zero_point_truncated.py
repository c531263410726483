"""Wrong: the affine zero point truncates m_- / s toward zero instead of rounding it."""

import numbers

import numpy as np

_RANGES = {np.dtype(np.int8): (-128, 127), np.dtype(np.uint8): (0, 255)}
_EPS = np.finfo(np.float32).eps


def _quantized_dtype(dtype):
    try:
        dtype = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"dtype must be int8 or uint8, got {dtype!r}") from exc
    if dtype not in _RANGES:
        raise ValueError(f"dtype must be int8 or uint8, got {dtype}")
    return dtype


def _normalize_axis(axis, ndim):
    if axis is None:
        return None
    if isinstance(axis, bool) or not isinstance(axis, numbers.Integral) or not -ndim <= axis < ndim:
        raise ValueError(f"axis must be an integer in [{-ndim}, {ndim}), got {axis!r}")
    return int(axis) % ndim


def _finite_float32(x):
    x = np.asarray(x, dtype=np.float32)
    if not np.isfinite(x).all():
        raise ValueError("x must not contain NaN or infinite values")
    return x


def _channel_shape(ndim, axis):
    shape = [1] * ndim
    shape[axis] = -1
    return shape


def _parameters(scale, zero_point, shape, axis, dtype):
    """scale (float32) and zero_point (int64), validated and shaped to broadcast against x."""
    qmin, qmax = _RANGES[dtype]
    scale = np.asarray(scale, dtype=np.float32)
    zero_point = np.asarray(zero_point)
    expected = () if axis is None else (shape[axis],)
    if scale.shape != expected or zero_point.shape != expected:
        raise ValueError(
            f"scale and zero_point must have shape {expected}, "
            f"got {scale.shape} and {zero_point.shape}"
        )
    if not (np.isfinite(scale).all() and (scale > 0).all()):
        raise ValueError("scale must be positive and finite")
    if zero_point.dtype.kind not in "iu":
        raise ValueError(f"zero_point must be integer, got {zero_point.dtype}")
    if not ((zero_point >= qmin).all() and (zero_point <= qmax).all()):
        raise ValueError(f"zero_point must lie in [{qmin}, {qmax}] for {dtype}")
    zero_point = zero_point.astype(np.int64)
    if axis is not None:
        scale = scale.reshape(_channel_shape(len(shape), axis))
        zero_point = zero_point.reshape(_channel_shape(len(shape), axis))
    return scale, zero_point


def choose_qparams(x, *, symmetric=False, dtype=np.int8, axis=None):
    dtype = _quantized_dtype(dtype)
    x = _finite_float32(x)
    axis = _normalize_axis(axis, x.ndim)
    if x.size == 0:
        raise ValueError("x must not be empty")
    qmin, qmax = _RANGES[dtype]
    reduce = None if axis is None else tuple(i for i in range(x.ndim) if i != axis)
    low = np.minimum(x.min(axis=reduce), np.float32(0))
    high = np.maximum(x.max(axis=reduce), np.float32(0))
    if symmetric:
        scale = np.maximum(np.maximum(-low, high) / np.float32((qmax - qmin) / 2), _EPS)
        zero_point = np.full(np.shape(scale), (qmin + qmax + 1) // 2, dtype=np.int64)
    else:
        scale = np.maximum((high - low) / np.float32(qmax - qmin), _EPS)
        zero_point = np.clip(qmin - (low / scale).astype(np.int64), qmin, qmax)
    if axis is None:
        return float(scale), int(zero_point)
    return scale.astype(np.float32), zero_point.astype(np.int64)


def quantize(x, scale, zero_point, *, dtype=np.int8, axis=None):
    dtype = _quantized_dtype(dtype)
    x = _finite_float32(x)
    axis = _normalize_axis(axis, x.ndim)
    scale, zero_point = _parameters(scale, zero_point, x.shape, axis, dtype)
    qmin, qmax = _RANGES[dtype]
    with np.errstate(over="ignore"):  # a product past float32's range saturates anyway
        steps = np.rint(x * (np.float32(1) / scale))
    return np.clip(steps + zero_point, qmin, qmax).astype(dtype)


def dequantize(q, scale, zero_point, *, axis=None):
    if not isinstance(q, np.ndarray) or q.dtype not in _RANGES:
        raise ValueError("q must be a numpy array of dtype int8 or uint8")
    axis = _normalize_axis(axis, q.ndim)
    scale, zero_point = _parameters(scale, zero_point, q.shape, axis, q.dtype)
    # q - zero_point is exact in int64 and in float32 (|q - zero_point| <= 255).
    return (q.astype(np.int64) - zero_point).astype(np.float32) * scale
