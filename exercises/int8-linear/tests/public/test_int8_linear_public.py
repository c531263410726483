"""Public tests for int8-linear: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

X = np.array([[10, 200, 128], [0, 255, 77]], dtype=np.uint8)
W = np.array([[1, -2, 3], [-128, 127, 0]], dtype=np.int8)


def test_int8_matmul_on_the_example_of_the_statement(solution):
    """sum_k (x - 128) * w as int32."""
    acc = solution.int8_matmul(X, W.T, a_zero_point=128)
    assert isinstance(acc, np.ndarray), f"expected a numpy array, got {type(acc).__name__}"
    assert acc.dtype == np.int32, f"expected int32, got {acc.dtype}"
    np.testing.assert_array_equal(acc, [[-262, 24248], [-535, 32513]])


def test_int8_matmul_does_not_overflow_the_8_bit_types(solution):
    """255 * 127 summed 1000 times is far beyond 8 bits, and beyond float32's exact integers."""
    a = np.full((1, 1000), 255, dtype=np.uint8)
    b = np.full((1000, 2), 127, dtype=np.int8)
    acc = solution.int8_matmul(a, b, a_zero_point=1, b_zero_point=np.array([0, -128]))
    np.testing.assert_array_equal(acc, [[254 * 127 * 1000, 254 * 255 * 1000]])


def test_requantize_rounds_half_to_even_and_saturates(solution):
    """acc * 0.5 for odd acc is a halfway case: to the even integer; 1000 * 0.5 clamps to 127."""
    acc = np.array([1, 3, 5, -1, -3, 1000, -1000], dtype=np.int32)
    q = solution.requantize(acc, 0.5, 0)
    assert q.dtype == np.int8, f"expected int8, got {q.dtype}"
    np.testing.assert_array_equal(q, [0, 2, 2, 0, -2, 127, -128])


def test_quantized_linear_on_the_example_of_the_statement(solution):
    """Per-channel weight scales and a bias: the statement's uint8 result."""
    q = solution.quantized_linear(
        X,
        W,
        np.array([0.5, -1.0]),
        x_scale=0.02,
        x_zero_point=128,
        w_scale=[0.01, 0.005],
        out_scale=0.05,
        out_zero_point=100,
    )
    assert q.dtype == np.uint8, f"expected uint8, got {q.dtype}"
    np.testing.assert_array_equal(q, [[109, 128], [108, 145]])


def test_rejects_mismatched_shapes_and_float_matrices(solution):
    """ValueError when the inner dimensions differ or a matrix is not int8/uint8."""
    with pytest.raises(ValueError):
        solution.int8_matmul(X, W)
    with pytest.raises(ValueError):
        solution.int8_matmul(X.astype(np.float32), W.T)
