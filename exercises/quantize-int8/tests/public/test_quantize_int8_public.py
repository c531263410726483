"""Public tests for quantize-int8: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

X = np.array([[-1.2, 0.5, 2.0], [0.15, 0.25, -0.35]])


def test_choose_qparams_on_the_example_of_the_statement(solution):
    """Per tensor: a float scale and an int zero point, affine and symmetric."""
    scale, zero_point = solution.choose_qparams(X)
    assert isinstance(scale, float), f"scale must be a float, got {type(scale).__name__}"
    assert isinstance(zero_point, int), (
        f"zero_point must be an int, got {type(zero_point).__name__}"
    )
    np.testing.assert_allclose(scale, 3.2 / 255, rtol=1e-6, err_msg="affine int8 scale")
    assert zero_point == -32, f"affine int8 zero point: expected -32, got {zero_point}"
    scale, zero_point = solution.choose_qparams(X, symmetric=True, dtype="uint8")
    np.testing.assert_allclose(scale, 2.0 / 127.5, rtol=1e-6, err_msg="symmetric uint8 scale")
    assert zero_point == 128, f"symmetric uint8 zero point: expected 128, got {zero_point}"


def test_quantize_and_dequantize_the_example(solution):
    """quantize returns int8 integers, dequantize float32 values (q - z) * s."""
    scale, zero_point = 3.2 / 255, -32
    q = solution.quantize(X, scale, zero_point)
    assert isinstance(q, np.ndarray), f"expected a numpy array, got {type(q).__name__}"
    assert q.dtype == np.int8, f"expected int8, got {q.dtype}"
    np.testing.assert_array_equal(q, [[-128, 8, 127], [-20, -12, -60]])
    back = solution.dequantize(q, scale, zero_point)
    assert back.dtype == np.float32, f"dequantize must return float32, got {back.dtype}"
    np.testing.assert_allclose(back, (q.astype(np.float64) + 32) * scale, rtol=1e-6)


def test_halfway_cases_round_to_even_and_values_saturate(solution):
    """round(2.5) = 2, round(-2.5) = -2; values past the range clamp to [-128, 127]."""
    q = solution.quantize(np.array([0.5, 1.5, 2.5, -2.5, 500.0, -500.0]), 1.0, 0)
    np.testing.assert_array_equal(q, [0, 2, 2, -2, 127, -128])


def test_per_channel_uses_one_scale_and_zero_point_per_index_along_axis(solution):
    """axis=0: row c is quantized with scale[c] and zero_point[c]."""
    q = solution.quantize(X, [0.5, 0.07], [10, 6], dtype=np.uint8, axis=0)
    assert q.dtype == np.uint8, f"expected uint8, got {q.dtype}"
    np.testing.assert_array_equal(q, [[8, 11, 14], [8, 10, 1]])
    scale, zero_point = solution.choose_qparams(X, axis=1)
    assert scale.shape == (3,) and zero_point.shape == (3,), "one parameter per column"


def test_rejects_nan_and_a_zero_point_outside_the_range(solution):
    """ValueError for NaN in x and for an int8 zero point of 128."""
    with pytest.raises(ValueError):
        solution.quantize(np.array([0.0, np.nan]), 0.1, 0)
    with pytest.raises(ValueError):
        solution.quantize(X, 0.1, 128)
