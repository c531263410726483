"""Hidden tests for quantize-int8: exact integers against PyTorch, observers' parameters, speed."""

import numpy as np
import pytest
from quantize_checks import (
    RANGES,
    assert_integers_equal,
    away_from_boundaries,
    check_qparams,
    check_quantized,
    random_case,
    torch_dequantize,
    torch_int_repr,
    torch_qparams,
)

from graders.checks import assert_array, assert_close, assert_unchanged
from graders.remote import inspect_call

DTYPES = ("int8", "uint8")


@pytest.mark.weight(3)
def test_quantize_per_tensor_matches_torch_int_repr(solution):
    """quantize per tensor equals torch.quantize_per_tensor(...).int_repr(), int8 and uint8."""
    rng = np.random.default_rng(10)
    for shape in [(1,), (257,), (16, 33), (3, 4, 5)]:
        for dtype in DTYPES:
            for _ in range(2):
                x, scale, zero_point = random_case(rng, shape, dtype)
                expected = torch_int_repr(x, scale, zero_point, dtype)
                got = solution.quantize(x, scale, zero_point, dtype=dtype)
                check_quantized(got, shape, dtype)
                assert_integers_equal(
                    got,
                    expected,
                    f"{dtype}, shape {shape}, scale={scale!r}, zero_point={zero_point}",
                )


@pytest.mark.weight(3)
def test_quantize_per_channel_matches_torch_int_repr(solution):
    """quantize per channel equals torch.quantize_per_channel(...).int_repr() on every axis."""
    rng = np.random.default_rng(11)
    for shape, axis in [((6, 40), 0), ((40, 6), 1), ((5, 7, 9), 1), ((4, 3, 8), -1), ((1, 5), 0)]:
        for dtype in DTYPES:
            x, scale, zero_point = random_case(rng, shape, dtype, axis=axis)
            expected = torch_int_repr(x, scale, zero_point, dtype, axis)
            got = solution.quantize(x, scale, zero_point, dtype=dtype, axis=axis)
            check_quantized(got, shape, dtype)
            assert_integers_equal(got, expected, f"{dtype}, shape {shape}, axis={axis}")


@pytest.mark.weight(2)
def test_halfway_values_round_to_even_and_large_values_saturate(solution):
    """Exact halves round to the even integer; values past the range clamp to qmin / qmax."""
    rng = np.random.default_rng(12)
    for dtype in DTYPES:
        qmin, qmax = RANGES[dtype]
        scale, zero_point = 2.0**-4, (qmin + qmax + 1) // 2
        halves = (rng.integers(-140, 140, size=400) + 0.5) * scale  # exact in float32
        expected = torch_int_repr(halves, scale, zero_point, dtype)
        got = check_quantized(
            solution.quantize(halves, scale, zero_point, dtype=dtype), (400,), dtype
        )
        assert_integers_equal(got, expected, f"{dtype}: halfway cases (x = (k + 0.5) * scale)")

        huge = np.array([1e30, -1e30, 3e38, -3e38, 1e6, -1e6, 129.0, -129.0], dtype=np.float32)
        for zero_point in (qmin, qmax, (qmin + qmax) // 2):
            expected = torch_int_repr(huge, 0.5, zero_point, dtype)
            got = check_quantized(
                solution.quantize(huge, 0.5, zero_point, dtype=dtype), (8,), dtype
            )
            assert_integers_equal(
                got, expected, f"{dtype}, zero_point={zero_point}: saturation of {huge.tolist()}"
            )


@pytest.mark.weight(3)
def test_choose_qparams_per_tensor_matches_torch_min_max_observer(solution, tolerances):
    """Affine and symmetric, int8 and uint8: the scale and zero point of MinMaxObserver."""
    rng = np.random.default_rng(13)
    datasets = [
        rng.normal(loc=0.3, scale=2.0, size=(50, 8)),
        rng.uniform(0.5, 3.0, size=200),  # all positive: the range is extended to include 0
        -rng.uniform(0.1, 9.0, size=(7, 7)),  # all negative
        rng.normal(scale=1e-3, size=64) + 0.002,
        np.array([4.25]),
    ]
    for index, x in enumerate(datasets):
        for dtype in DTYPES:
            for symmetric in (False, True):
                where = f"dataset {index}, {dtype}, symmetric={symmetric}"
                expected_scale, expected_zero = torch_qparams(x, symmetric=symmetric, dtype=dtype)
                scale, zero_point = check_qparams(
                    solution.choose_qparams(x, symmetric=symmetric, dtype=dtype)
                )
                assert_close(
                    scale,
                    expected_scale,
                    rtol=tolerances["scale_rtol"],
                    atol=0.0,
                    what=f"scale ({where})",
                )
                assert_integers_equal(zero_point, expected_zero, f"zero_point ({where})")


@pytest.mark.weight(3)
def test_choose_qparams_per_channel_matches_torch_per_channel_observer(solution, tolerances):
    """Per channel along several axes: PerChannelMinMaxObserver's scales and zero points."""
    rng = np.random.default_rng(14)
    for shape, axis in [((16, 30), 0), ((30, 16), 1), ((4, 6, 10), 1), ((3, 5, 8), -1)]:
        x = rng.normal(size=shape) * rng.uniform(0.01, 5.0, size=shape[axis]).reshape(
            [-1 if i == axis % len(shape) else 1 for i in range(len(shape))]
        )
        x += rng.uniform(-1.0, 1.0)
        for dtype in DTYPES:
            for symmetric in (False, True):
                where = f"shape {shape}, axis={axis}, {dtype}, symmetric={symmetric}"
                expected_scale, expected_zero = torch_qparams(
                    x, symmetric=symmetric, dtype=dtype, axis=axis
                )
                scale, zero_point = check_qparams(
                    solution.choose_qparams(x, symmetric=symmetric, dtype=dtype, axis=axis),
                    axis_length=shape[axis],
                )
                assert_close(
                    scale,
                    expected_scale,
                    rtol=tolerances["scale_rtol"],
                    atol=0.0,
                    what=f"scale ({where})",
                )
                assert_integers_equal(zero_point, expected_zero, f"zero_point ({where})")


@pytest.mark.weight(1)
def test_an_all_zero_tensor_gets_the_float32_epsilon_as_scale(solution, tolerances):
    """All zeros: the scale is the float32 machine epsilon, never 0; the zero point is finite."""
    x = np.zeros((3, 4))
    for dtype in DTYPES:
        for symmetric in (False, True):
            where = f"{dtype}, symmetric={symmetric}"
            expected_scale, expected_zero = torch_qparams(x, symmetric=symmetric, dtype=dtype)
            scale, zero_point = check_qparams(
                solution.choose_qparams(x, symmetric=symmetric, dtype=dtype)
            )
            assert_close(
                scale,
                expected_scale,
                rtol=tolerances["scale_rtol"],
                atol=0.0,
                what=f"scale ({where})",
            )
            assert_integers_equal(zero_point, expected_zero, f"zero_point ({where})")
            expected_scale, expected_zero = torch_qparams(
                x, symmetric=symmetric, dtype=dtype, axis=1
            )
            scale, zero_point = check_qparams(
                solution.choose_qparams(x, symmetric=symmetric, dtype=dtype, axis=1), axis_length=4
            )
            assert_close(
                scale,
                expected_scale,
                rtol=tolerances["scale_rtol"],
                atol=0.0,
                what=f"per-channel scale ({where})",
            )
            assert_integers_equal(zero_point, expected_zero, f"per-channel zero_point ({where})")


@pytest.mark.weight(2)
def test_dequantize_matches_torch_exactly(solution):
    """dequantize gives torch's float32 values bit for bit, per tensor and per channel."""
    rng = np.random.default_rng(15)
    for dtype in DTYPES:
        for shape, axis in [((300,), None), ((5, 60), None), ((5, 60), 0), ((6, 4, 9), -1)]:
            x, scale, zero_point = random_case(rng, shape, dtype, axis=axis)
            q, expected = torch_dequantize(x, scale, zero_point, dtype, axis)
            got = solution.dequantize(q, scale, zero_point, axis=axis)
            assert_array(got, what="dequantize's result", shape=shape, dtype=np.float32)
            np.testing.assert_array_equal(
                got, expected, err_msg=f"{dtype}, shape {shape}, axis={axis}"
            )
        # A zero point far from q: q - zero_point must not wrap around in the 8-bit type.
        qmin, qmax = RANGES[dtype]
        q = np.array([qmin, qmin + 3, qmax - 3, qmax], dtype=dtype)
        for zero_point in (qmin, qmax, (qmin + qmax + 1) // 2):
            got = solution.dequantize(q, 0.25, zero_point)
            expected = (q.astype(np.float64) - zero_point) * 0.25
            assert_array(got, what="dequantize's result", shape=(4,), dtype=np.float32)
            np.testing.assert_array_equal(
                got, expected.astype(np.float32), err_msg=f"{dtype}, zero_point={zero_point}"
            )


@pytest.mark.weight(1)
def test_invalid_arguments_raise_value_error(solution):
    """ValueError for NaN/inf, bad dtype, axis, scale, zero point, shapes and empty input."""
    x = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
    q = np.zeros((3, 4), dtype=np.int8)
    bad_calls = {
        "NaN in x": lambda: solution.quantize(np.array([0.0, np.nan]), 0.1, 0),
        "inf in x": lambda: solution.choose_qparams(np.array([1.0, np.inf])),
        "dtype int16": lambda: solution.quantize(x, 0.1, 0, dtype=np.int16),
        "dtype float32": lambda: solution.choose_qparams(x, dtype="float32"),
        "axis 2 of a 2-D x": lambda: solution.choose_qparams(x, axis=2),
        "axis -3 of a 2-D x": lambda: solution.quantize(x, [0.1] * 3, [0] * 3, axis=-3),
        "scale 0": lambda: solution.quantize(x, 0.0, 0),
        "negative scale": lambda: solution.dequantize(q, -0.5, 0),
        "NaN scale": lambda: solution.quantize(x, float("nan"), 0),
        "int8 zero point 128": lambda: solution.quantize(x, 0.1, 128),
        "uint8 zero point -1": lambda: solution.quantize(x, 0.1, -1, dtype=np.uint8),
        "dequantize int8 zero point 200": lambda: solution.dequantize(q, 0.1, 200),
        "per-channel scale of the wrong length": lambda: solution.quantize(
            x, [0.1] * 4, [0] * 4, axis=0
        ),
        "per-channel zero point out of range": lambda: solution.quantize(
            x, [0.1] * 3, [0, 0, 300], axis=0, dtype=np.uint8
        ),
        "empty x for choose_qparams": lambda: solution.choose_qparams(np.zeros((0, 3))),
        "dequantize of a float array": lambda: solution.dequantize(x, 0.1, 0),
        "dequantize of an int32 array": lambda: solution.dequantize(q.astype(np.int32), 0.1, 0),
    }
    for what, call in bad_calls.items():
        try:
            call()
        except ValueError:
            continue
        raise AssertionError(f"expected ValueError for {what}, got a result")


@pytest.mark.weight(1)
def test_empty_and_single_values_and_arguments_left_unchanged(solution):
    """Empty x quantizes to an empty array; no function modifies its arguments."""
    got = solution.quantize(np.zeros((0, 4), dtype=np.float32), 0.1, 3)
    check_quantized(got, (0, 4), "int8", what="quantize of an empty x")
    got = solution.quantize(np.zeros((2, 0)), [0.1, 0.2], [1, 2], dtype=np.uint8, axis=0)
    check_quantized(got, (2, 0), "uint8", what="per-channel quantize of an empty x")

    rng = np.random.default_rng(16)
    x = rng.normal(size=(6, 5))
    scale = np.full(5, 0.05, dtype=np.float32)
    zero_point = np.arange(5, dtype=np.int64)
    for name, args, kwargs in [
        ("choose_qparams", (x,), {"axis": 1}),
        ("quantize", (x, scale, zero_point), {"axis": 1}),
        ("dequantize", (x.astype(np.int8), scale, zero_point), {"axis": 1}),
    ]:
        before = [np.copy(a) for a in args]
        _, after, _ = inspect_call(getattr(solution, name), *args, **kwargs)
        assert_unchanged(before, after, what=f"the arguments of {name}")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_per_channel_quantize_on_two_million_values(solution, reference, speed):
    """Speed of quantize per channel (axis 0) against a vectorized reference: 2048 x 1024."""

    def make_case(rng):
        scale = (10.0 ** rng.uniform(-3, -1, size=2048)).astype(np.float32)
        zero_point = rng.integers(-128, 128, size=2048)
        x = rng.normal(scale=0.5, size=(2048, 1024)).astype(np.float32)
        x = away_from_boundaries(x, scale, axis=0)
        return speed.case(x, scale, zero_point, dtype=np.int8, axis=0)

    def check(case, got, expected):
        check_quantized(got, (2048, 1024), "int8")
        assert_integers_equal(got, expected, "per-channel quantize on the speed test's data")

    speed.compare(solution.quantize, reference.quantize, make_case, check)
