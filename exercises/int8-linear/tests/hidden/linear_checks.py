"""Data, trusted integer computations and checks shared by the hidden int8-linear tests."""

import numpy as np

from graders.checks import assert_array

RANGES = {"int8": (-128, 127), "uint8": (0, 255)}


def random_q(rng, shape, dtype):
    qmin, qmax = RANGES[dtype]
    return rng.integers(qmin, qmax + 1, size=shape).astype(dtype)


def exact_matmul(a, b, a_zero_point=0, b_zero_point=0):
    """The exact sums in int64 (slow and sure)."""
    left = a.astype(np.int64) - np.int64(a_zero_point)
    right = b.astype(np.int64) - np.asarray(b_zero_point, dtype=np.int64)
    return left @ right


def exact_requantize(acc, multiplier, zero_point, dtype):
    qmin, qmax = RANGES[dtype]
    scaled = np.rint(np.asarray(acc, dtype=np.float64) * np.asarray(multiplier, dtype=np.float64))
    return np.clip(scaled + zero_point, qmin, qmax).astype(dtype)


def exact_linear(x, weight, bias, p):
    """The statement's three steps, from the trusted pieces above."""
    input_scale = np.float64(p["x_scale"]) * np.asarray(p["w_scale"], dtype=np.float64)
    acc = exact_matmul(x, weight.T, p["x_zero_point"])
    if bias is not None:
        acc = acc + np.rint(np.asarray(bias, dtype=np.float64) / input_scale).astype(np.int64)
    assert np.abs(acc).max(initial=0) < 2**31, "test data error: the accumulator left int32"
    return exact_requantize(
        acc, input_scale / p["out_scale"], p["out_zero_point"], p.get("out_dtype", "uint8")
    )


def linear_case(rng, batch, in_features, out_features, *, x_dtype, out_dtype, per_channel, bias):
    """(x, weight, bias, params) with an output scale that spreads y over the output range."""
    x = random_q(rng, (batch, in_features), x_dtype)
    weight = random_q(rng, (out_features, in_features), "int8")
    qmin, qmax = RANGES[x_dtype]
    x_zero_point = int(rng.integers(qmin + 20, qmax - 19))
    x_scale = float(rng.uniform(0.005, 0.05))
    w_scale = (
        rng.uniform(0.001, 0.02, size=out_features) if per_channel else rng.uniform(0.001, 0.02)
    )
    x_real = (x.astype(np.float64) - x_zero_point) * x_scale
    w_real = weight.astype(np.float64) * np.reshape(w_scale, (-1, 1))
    b = rng.normal(scale=0.5, size=out_features) if bias else None
    y = x_real @ w_real.T + (0.0 if b is None else b)
    out_qmin, out_qmax = RANGES[out_dtype]
    out_scale = float(6.0 * y.std() / (out_qmax - out_qmin)) or 1.0
    out_zero_point = round(float((out_qmin + out_qmax) / 2 - y.mean() / out_scale))
    out_zero_point = int(np.clip(out_zero_point, out_qmin, out_qmax))
    params = {
        "x_scale": x_scale,
        "x_zero_point": x_zero_point,
        "w_scale": w_scale,
        "out_scale": out_scale,
        "out_zero_point": out_zero_point,
        "out_dtype": out_dtype,
    }
    return x, weight, b, params


def check_int32(got, shape, what="int8_matmul's result"):
    return assert_array(got, what=what, shape=shape, dtype=np.int32)


def check_q(got, shape, dtype, what):
    return assert_array(got, what=what, shape=shape, dtype=dtype)


def assert_integers_equal(got, expected, what):
    """Exact equality; the message names the first differing position and both values."""
    wrong = np.asarray(got).astype(np.int64) != np.asarray(expected).astype(np.int64)
    if wrong.any():
        first = tuple(int(i) for i in np.argwhere(wrong)[0])
        raise AssertionError(
            f"{what}: {int(wrong.sum())} of {wrong.size} values differ; at index {first} "
            f"expected {int(np.asarray(expected)[first])}, got {int(np.asarray(got)[first])}"
        )
