import numpy as np


def choose_qparams(x, *, symmetric=False, dtype=np.int8, axis=None):
    """Return (scale, zero_point) from the min and max of x, as PyTorch's min/max observers do.

    Per tensor (axis=None): a Python float and a Python int. Per channel: a float32 array and an
    int64 array of shape (x.shape[axis],). See the statement for the formulas and the errors.
    """
    raise NotImplementedError("implement choose_qparams")


def quantize(x, scale, zero_point, *, dtype=np.int8, axis=None):
    """Return clamp(round_half_even(x / scale) + zero_point, qmin, qmax) as an int8/uint8 array.

    Per channel when axis is given: scale and zero_point are 1-D of length x.shape[axis].
    """
    raise NotImplementedError("implement quantize")


def dequantize(q, scale, zero_point, *, axis=None):
    """Return (q - zero_point) * scale as a float32 array of the shape of q (int8 or uint8)."""
    raise NotImplementedError("implement dequantize")
