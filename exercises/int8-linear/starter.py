import numpy as np


def int8_matmul(a, b, *, a_zero_point=0, b_zero_point=0):
    """Return the exact int32 matrix sum_t (a[i, t] - a_zero_point) * (b[t, j] - b_zero_point[j]).

    a: (m, k), b: (k, n), int8 or uint8 arrays. b_zero_point: an integer or n integers.
    """
    raise NotImplementedError("implement int8_matmul")


def requantize(acc, multiplier, zero_point, *, dtype=np.int8):
    """Return clamp(round_half_even(acc * multiplier) + zero_point) as int8 or uint8.

    multiplier: a positive float or one per column (acc.shape[-1]); acc * multiplier in float64.
    """
    raise NotImplementedError("implement requantize")


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
    """Return the 8-bit output of y = x @ weight.T + bias, computed in integers (see statement).

    x: (batch, in_features) int8/uint8; weight: (out_features, in_features) int8, zero point 0;
    w_scale: a float or one per output feature; bias: None or out_features floats.
    """
    raise NotImplementedError("implement quantized_linear")
