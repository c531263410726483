"""Golden submission for quantize-int8: correct, written differently from the reference (float64 division, a loop over channels)."""

# expect: ACCEPTED

"""Alternative: float64 division, np.round, per-channel via moveaxis + loop over channels."""
import numpy as np

R = {"int8": (-128, 127), "uint8": (0, 255)}

def _dt(dtype):
    try:
        d = np.dtype(dtype).name
    except TypeError:
        raise ValueError("dtype")
    if d not in R:
        raise ValueError("dtype")
    return d

def _ax(axis, ndim):
    if axis is None:
        return None
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool) or not -ndim <= axis < ndim:
        raise ValueError("axis")
    return axis % ndim

def _x(x):
    x = np.asarray(x, dtype=np.float32).astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError("nonfinite")
    return x

def choose_qparams(x, *, symmetric=False, dtype=np.int8, axis=None):
    d = _dt(dtype); qmin, qmax = R[d]
    x = _x(x)
    axis = _ax(axis, x.ndim)
    if x.size == 0:
        raise ValueError("empty")
    if axis is None:
        chans = [x.ravel()]
    else:
        m = np.moveaxis(x, axis, 0)
        chans = [m[c].ravel() for c in range(m.shape[0])]
    scales, zps = [], []
    for c in chans:
        lo = min(c.min(), 0.0); hi = max(c.max(), 0.0)
        if symmetric:
            s = np.float32(max(-lo, hi) / 127.5)
            s = max(s, np.float32(2.0**-23))
            z = 0 if d == "int8" else 128
        else:
            s = np.float32((hi - lo) / (qmax - qmin))
            s = max(s, np.float32(2.0**-23))
            z = int(min(max(qmin - round(lo / float(s)), qmin), qmax))
        scales.append(s); zps.append(z)
    if axis is None:
        return float(scales[0]), zps[0]
    return np.array(scales, dtype=np.float32), np.array(zps, dtype=np.int64)

def _params(scale, zp, shape, axis, d):
    qmin, qmax = R[d]
    scale = np.asarray(scale, dtype=np.float64); zp = np.asarray(zp)
    want = () if axis is None else (shape[axis],)
    if scale.shape != want or zp.shape != want:
        raise ValueError("shape")
    if not np.all(np.isfinite(scale)) or not np.all(scale > 0):
        raise ValueError("scale")
    if zp.dtype.kind not in "iu" or np.any(zp < qmin) or np.any(zp > qmax):
        raise ValueError("zp")
    if axis is not None:
        sh = [1] * len(shape); sh[axis] = -1
        scale = scale.reshape(sh); zp = zp.reshape(sh)
    return scale, zp.astype(np.int64)

def quantize(x, scale, zero_point, *, dtype=np.int8, axis=None):
    d = _dt(dtype); qmin, qmax = R[d]
    x = _x(x); axis = _ax(axis, x.ndim)
    s, z = _params(scale, zero_point, x.shape, axis, d)
    return np.clip(np.round(x / s) + z, qmin, qmax).astype(d)

def dequantize(q, scale, zero_point, *, axis=None):
    if not isinstance(q, np.ndarray) or q.dtype.name not in R:
        raise ValueError("q")
    axis = _ax(axis, q.ndim)
    s, z = _params(scale, zero_point, q.shape, axis, q.dtype.name)
    return ((q.astype(np.float64) - z) * s).astype(np.float32)
