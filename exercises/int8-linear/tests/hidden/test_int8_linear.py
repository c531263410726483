"""Hidden tests for int8-linear: exact integer matmul, requantization, the layer, speed."""

import copy
import itertools

import numpy as np
import pytest
from linear_checks import (
    RANGES,
    assert_integers_equal,
    check_int32,
    check_q,
    exact_linear,
    exact_matmul,
    exact_requantize,
    linear_case,
    random_q,
)

from graders.checks import assert_unchanged
from graders.remote import inspect_call

DTYPES = ("int8", "uint8")


@pytest.mark.weight(3)
def test_int8_matmul_is_exact_for_every_pair_of_dtypes_and_zero_points(solution):
    """int8/uint8 x int8/uint8, with scalar zero points, on several shapes: exact int32 sums."""
    rng = np.random.default_rng(20)
    for a_dtype, b_dtype in itertools.product(DTYPES, DTYPES):
        for m, k, n in [(1, 1, 1), (7, 13, 5), (32, 300, 17), (3, 1000, 2)]:
            a, b = random_q(rng, (m, k), a_dtype), random_q(rng, (k, n), b_dtype)
            for a_zero, b_zero in [(0, 0), (int(a.max()), int(b.min())), (RANGES[a_dtype][0], 7)]:
                got = solution.int8_matmul(a, b, a_zero_point=a_zero, b_zero_point=b_zero)
                check_int32(got, (m, n))
                assert_integers_equal(
                    got,
                    exact_matmul(a, b, a_zero, b_zero),
                    f"{a_dtype} @ {b_dtype}, shapes {(m, k)} @ {(k, n)}, zero points "
                    f"{a_zero}, {b_zero}",
                )


@pytest.mark.weight(2)
def test_int8_matmul_with_per_column_zero_points_and_sums_near_the_int32_limit(solution):
    """One zero point per column of b; 30,000 extreme products whose sum is close to 2**31."""
    rng = np.random.default_rng(21)
    a, b = random_q(rng, (9, 40), "uint8"), random_q(rng, (40, 6), "int8")
    b_zero = rng.integers(-128, 128, size=6)
    got = check_int32(solution.int8_matmul(a, b, a_zero_point=100, b_zero_point=b_zero), (9, 6))
    assert_integers_equal(got, exact_matmul(a, b, 100, b_zero), "per-column b_zero_point")

    k = 33_000  # 33,000 * 255 * 255 = 2,145,825,000 < 2**31 - 1
    a = np.full((2, k), 255, dtype=np.uint8)
    a[1, ::3] = 0
    b = np.full((k, 3), -128, dtype=np.int8)
    b[::2, 1] = 127
    b[1::7, 2] = 5
    b_zero = np.array([127, -128, 127])
    got = check_int32(solution.int8_matmul(a, b, a_zero_point=0, b_zero_point=b_zero), (2, 3))
    assert_integers_equal(got, exact_matmul(a, b, 0, b_zero), f"k={k}: sums near the int32 limit")


@pytest.mark.weight(1)
def test_int8_matmul_on_empty_and_thin_shapes(solution):
    """k = 0 gives zeros; m = 0 gives an empty (0, n) result; vectors as (1, k) and (k, 1)."""
    rng = np.random.default_rng(22)
    a, b = np.zeros((3, 0), dtype=np.uint8), np.zeros((0, 4), dtype=np.int8)
    got = check_int32(solution.int8_matmul(a, b, a_zero_point=5, b_zero_point=-3), (3, 4))
    assert_integers_equal(got, np.zeros((3, 4)), "k = 0")
    a, b = np.zeros((0, 5), dtype=np.int8), random_q(rng, (5, 2), "uint8")
    check_int32(solution.int8_matmul(a, b), (0, 2))
    a, b = random_q(rng, (1, 50), "int8"), random_q(rng, (50, 1), "int8")
    got = check_int32(solution.int8_matmul(a, b, a_zero_point=-1, b_zero_point=2), (1, 1))
    assert_integers_equal(got, exact_matmul(a, b, -1, 2), "(1, 50) @ (50, 1)")


@pytest.mark.weight(2)
def test_requantize_matches_float64_rounding_per_tensor_and_per_column(solution):
    """Random int32 accumulators, one multiplier or one per column, int8 and uint8 outputs."""
    rng = np.random.default_rng(23)
    for dtype in DTYPES:
        qmin, qmax = RANGES[dtype]
        for shape in [(50,), (20, 7), (4, 5, 3)]:
            acc = rng.integers(-(2**20), 2**20, size=shape).astype(np.int32)
            for multiplier in (float(rng.uniform(1e-5, 1e-3)), rng.uniform(1e-5, 1e-3, shape[-1])):
                zero_point = int(rng.integers(qmin, qmax + 1))
                got = check_q(
                    solution.requantize(acc, multiplier, zero_point, dtype=dtype),
                    shape,
                    dtype,
                    "requantize's result",
                )
                assert_integers_equal(
                    got,
                    exact_requantize(acc, multiplier, zero_point, dtype),
                    f"{dtype}, shape {shape}, zero_point={zero_point}, "
                    f"{'per-column' if np.ndim(multiplier) else 'one'} multiplier",
                )


@pytest.mark.weight(2)
def test_requantize_rounds_halves_to_even_saturates_and_computes_in_float64(solution):
    """Exact halves round to even; large values clamp; acc above 2**24 is not rounded to float32."""
    halves = np.arange(-301, 302, 2, dtype=np.int32)  # odd: acc / 2 is k + 0.5
    for dtype in DTYPES:
        for zero_point in (RANGES[dtype][0], 0 if dtype == "int8" else 128):
            got = check_q(
                solution.requantize(halves, 0.5, zero_point, dtype=dtype),
                halves.shape,
                dtype,
                "requantize's result",
            )
            assert_integers_equal(
                got,
                exact_requantize(halves, 0.5, zero_point, dtype),
                f"{dtype}, zero_point={zero_point}: acc * 0.5 halfway cases",
            )
    extreme = np.array([2**31 - 1, -(2**31), 10**9, -(10**9), 300, -300], dtype=np.int32)
    got = check_q(solution.requantize(extreme, 1.0, 3), (6,), "int8", "requantize's result")
    assert_integers_equal(got, exact_requantize(extreme, 1.0, 3, "int8"), "saturation")
    # 2**24 + 2**16 + 1 is not a float32: in float32 acc * 2**-17 is exactly 128.5 (-> 128).
    acc = np.array([2**24 + 2**16 + 1, 2**24 + 3 * 2**16 + 1, 2**24 + 2**16 - 1], dtype=np.int32)
    got = check_q(solution.requantize(acc, 2.0**-17, 0, dtype="uint8"), (3,), "uint8", "result")
    assert_integers_equal(
        got, exact_requantize(acc, 2.0**-17, 0, "uint8"), "acc above 2**24, in float64"
    )


@pytest.mark.weight(3)
def test_quantized_linear_matches_the_integer_pipeline(solution):
    """Per-tensor and per-channel weight scales, with and without bias, int8/uint8 in and out."""
    rng = np.random.default_rng(24)
    for x_dtype, out_dtype, per_channel, bias in itertools.product(
        DTYPES, DTYPES, (False, True), (False, True)
    ):
        batch, in_features, out_features = (
            int(rng.integers(1, 12)),
            int(rng.integers(1, 80)),
            int(rng.integers(1, 20)),
        )
        x, weight, b, p = linear_case(
            rng,
            batch,
            in_features,
            out_features,
            x_dtype=x_dtype,
            out_dtype=out_dtype,
            per_channel=per_channel,
            bias=bias,
        )
        got = check_q(
            solution.quantized_linear(x, weight, b, **p),
            (batch, out_features),
            out_dtype,
            "quantized_linear's result",
        )
        assert_integers_equal(
            got,
            exact_linear(x, weight, b, p),
            f"x {x_dtype} {x.shape}, weight {weight.shape}, out {out_dtype}, "
            f"per_channel={per_channel}, bias={bias}",
        )


@pytest.mark.weight(1)
def test_quantized_linear_approximates_the_float_layer(solution):
    """Dequantized, the output is within half an output step (plus bias rounding) of x W^T + b."""
    rng = np.random.default_rng(25)
    for per_channel in (False, True):
        x, weight, b, p = linear_case(
            rng, 16, 64, 24, x_dtype="uint8", out_dtype="uint8", per_channel=per_channel, bias=True
        )
        got = check_q(solution.quantized_linear(x, weight, b, **p), (16, 24), "uint8", "result")
        x_real = (x.astype(np.float64) - p["x_zero_point"]) * p["x_scale"]
        w_real = weight.astype(np.float64) * np.reshape(p["w_scale"], (-1, 1))
        y = x_real @ w_real.T + b  # the float layer the integers stand for
        in_range = np.abs(y / p["out_scale"] + p["out_zero_point"] - 127.5) < 126
        back = (got.astype(np.float64) - p["out_zero_point"]) * p["out_scale"]
        bound = 0.5 * p["out_scale"] + 0.5 * p["x_scale"] * np.max(p["w_scale"]) + 1e-9
        error = np.abs(back - y)[in_range]
        assert in_range.sum() > 300, "test data error: too many saturated outputs"
        assert error.max() <= bound, (
            f"per_channel={per_channel}: dequantized output off by {error.max():.4g} "
            f"from the float layer x W^T + b (allowed {bound:.4g})"
        )


@pytest.mark.weight(1)
def test_invalid_arguments_raise_value_error(solution):
    """ValueError for bad dtypes, shapes, zero points, scales, multipliers and bias."""
    a, b = np.zeros((2, 3), dtype=np.uint8), np.zeros((3, 4), dtype=np.int8)
    acc = np.zeros((2, 4), dtype=np.int32)
    layer = {"x_scale": 0.1, "x_zero_point": 0, "w_scale": 0.1, "out_scale": 0.1}
    w = np.zeros((4, 3), dtype=np.int8)
    bad_calls = {
        "a as int32": lambda: solution.int8_matmul(a.astype(np.int32), b),
        "a as float": lambda: solution.int8_matmul(a.astype(np.float64), b),
        "a 1-D": lambda: solution.int8_matmul(np.zeros(3, dtype=np.uint8), b),
        "inner dimensions 3 and 4": lambda: solution.int8_matmul(a, b.T),
        "uint8 a_zero_point 256": lambda: solution.int8_matmul(a, b, a_zero_point=256),
        "int8 b_zero_point -129": lambda: solution.int8_matmul(a, b, b_zero_point=-129),
        "b_zero_point of length 3 for 4 columns": lambda: solution.int8_matmul(
            a, b, b_zero_point=np.zeros(3, dtype=np.int64)
        ),
        "float acc": lambda: solution.requantize(acc.astype(np.float64), 0.1, 0),
        "zero multiplier": lambda: solution.requantize(acc, 0.0, 0),
        "negative per-column multiplier": lambda: solution.requantize(
            acc, [0.1, 0.1, -0.1, 0.1], 0
        ),
        "multiplier of the wrong length": lambda: solution.requantize(acc, [0.1, 0.1], 0),
        "int8 zero point 128": lambda: solution.requantize(acc, 0.1, 128),
        "dtype int16": lambda: solution.requantize(acc, 0.1, 0, dtype=np.int16),
        "uint8 weight": lambda: solution.quantized_linear(
            a, w.astype(np.uint8), None, out_zero_point=0, **layer
        ),
        "weight with 2 input features for x with 3": lambda: solution.quantized_linear(
            a, w[:, :2], None, out_zero_point=0, **layer
        ),
        "bias of length 3 for 4 outputs": lambda: solution.quantized_linear(
            a, w, np.zeros(3), out_zero_point=0, **layer
        ),
        "NaN bias": lambda: solution.quantized_linear(
            a, w, np.array([0.0, np.nan, 0.0, 0.0]), out_zero_point=0, **layer
        ),
        "zero out_scale": lambda: solution.quantized_linear(
            a, w, None, out_zero_point=0, **{**layer, "out_scale": 0.0}
        ),
        "uint8 out_zero_point 300": lambda: solution.quantized_linear(
            a, w, None, out_zero_point=300, **layer
        ),
    }
    for what, call in bad_calls.items():
        try:
            call()
        except ValueError:
            continue
        raise AssertionError(f"expected ValueError for {what}, got a result")


@pytest.mark.weight(1)
def test_arguments_are_not_modified(solution):
    """No function modifies its arguments."""
    rng = np.random.default_rng(26)
    x, weight, b, p = linear_case(
        rng, 5, 12, 4, x_dtype="uint8", out_dtype="int8", per_channel=True, bias=True
    )
    b_zero = np.arange(4)
    acc = rng.integers(-1000, 1000, size=(5, 4)).astype(np.int32)
    for name, args, kwargs in [
        ("int8_matmul", (x, weight.T), {"a_zero_point": 3, "b_zero_point": b_zero}),
        ("requantize", (acc, np.full(4, 0.01), 2), {}),
        ("quantized_linear", (x, weight, b), p),
    ]:
        before = copy.deepcopy((list(args), kwargs))
        _, after_args, after_kwargs = inspect_call(getattr(solution, name), *args, **kwargs)
        assert_unchanged(before[0], after_args, what=f"the arguments of {name}")
        for key, value in before[1].items():
            assert_unchanged(value, after_kwargs[key], what=f"{name}'s {key}")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_a_256_by_1024_to_512_layer(solution, reference, speed):
    """Speed of quantized_linear against a vectorized reference: batch 256, 1024 -> 512."""

    def make_case(rng):
        x, weight, b, p = linear_case(
            rng, 256, 1024, 512, x_dtype="uint8", out_dtype="uint8", per_channel=True, bias=True
        )
        return speed.case(x, weight, b, **p)

    def check(case, got, expected):
        check_q(got, (256, 512), "uint8", "quantized_linear's result")
        assert_integers_equal(got, expected, "quantized_linear on the speed test's layer")

    speed.compare(solution.quantized_linear, reference.quantized_linear, make_case, check)
