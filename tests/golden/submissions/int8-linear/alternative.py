"""Golden submission for int8-linear: correct, written differently from the reference (a different decomposition of the integer arithmetic)."""

# expect: ACCEPTED

import numpy as np

R = {"int8": (-128, 127), "uint8": (0, 255)}

def _dt(d):
    try:
        d = np.dtype(d).name
    except TypeError:
        raise ValueError("dtype")
    if d not in R:
        raise ValueError("dtype")
    return d

def _mat(m):
    if not isinstance(m, np.ndarray) or m.dtype.name not in R or m.ndim != 2:
        raise ValueError("matrix")
    return m

def _zp(z, d, n=None):
    z = np.asarray(z)
    if z.dtype.kind not in "iu" or not (z.shape == () or (n is not None and z.shape == (n,))):
        raise ValueError("zp")
    lo, hi = R[d]
    if np.any(z < lo) or np.any(z > hi):
        raise ValueError("zp range")
    return z.astype(np.int64)

def _pos(v, n=None):
    v = np.asarray(v, dtype=np.float64)
    if not (v.shape == () or (n is not None and v.shape == (n,))):
        raise ValueError("shape")
    if not np.all(np.isfinite(v)) or not np.all(v > 0):
        raise ValueError("positive")
    return v

def int8_matmul(a, b, *, a_zero_point=0, b_zero_point=0):
    a, b = _mat(a), _mat(b)
    if a.shape[1] != b.shape[0]:
        raise ValueError("inner")
    za = _zp(a_zero_point, a.dtype.name); zb = _zp(b_zero_point, b.dtype.name, b.shape[1])
    out = (a.astype(np.int64) - za) @ (b.astype(np.int64) - zb)
    return out.astype(np.int32)

def requantize(acc, multiplier, zero_point, *, dtype=np.int8):
    d = _dt(dtype)
    if not isinstance(acc, np.ndarray) or acc.dtype.kind not in "iu" or acc.ndim == 0:
        raise ValueError("acc")
    m = _pos(multiplier, acc.shape[-1]); z = _zp(zero_point, d)
    lo, hi = R[d]
    return np.clip(np.round(acc.astype(np.float64) * m) + z, lo, hi).astype(d)

def quantized_linear(x, weight, bias=None, *, x_scale, x_zero_point, w_scale, out_scale, out_zero_point, out_dtype=np.uint8):
    x, weight = _mat(x), _mat(weight)
    if weight.dtype.name != "int8" or x.shape[1] != weight.shape[1]:
        raise ValueError("weight")
    n = weight.shape[0]
    xs = _pos(x_scale); ws = _pos(w_scale, n); os_ = _pos(out_scale)
    acc = int8_matmul(x, np.ascontiguousarray(weight.T), a_zero_point=x_zero_point).astype(np.int64)
    if bias is not None:
        bias = np.asarray(bias, dtype=np.float64)
        if bias.shape != (n,) or not np.all(np.isfinite(bias)):
            raise ValueError("bias")
        acc = acc + np.round(bias / xs / ws).astype(np.int64)
    mult = xs * (ws / os_)
    return requantize(acc, np.broadcast_to(mult, (n,)), out_zero_point, dtype=out_dtype)
