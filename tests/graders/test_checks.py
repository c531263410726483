"""graders.checks: assertions for exercise tests, with messages that say what is wrong."""

import numpy as np
import pytest
import torch

from graders.checks import assert_array, assert_close, assert_unchanged


def test_assert_array_checks_type_shape_dtype_and_finiteness():
    x = np.zeros((2, 3))
    assert assert_array(x, shape=(2, 3), dtype=np.float64) is x
    with pytest.raises(AssertionError, match="must be a numpy array, got list"):
        assert_array([1.0])
    with pytest.raises(AssertionError, match=r"labels must have shape \(3,\), got \(2, 3\)"):
        assert_array(x, shape=(3,), what="labels")
    with pytest.raises(AssertionError, match="must be int64, got float64"):
        assert_array(x, dtype=np.int64)
    with pytest.raises(AssertionError, match="dtype of kind 'iu'"):
        assert_array(x, kind="iu")
    with pytest.raises(AssertionError, match="1 NaN or infinite"):
        assert_array(np.array([1.0, np.nan]))


def test_assert_close_names_the_worst_element_and_accepts_tensors_and_numbers():
    expected = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert_close(expected + 1e-12, expected, rtol=1e-9, atol=0)
    assert_close(torch.tensor(expected), expected, rtol=0, atol=0)
    assert_close(2.0, 2.0 + 1e-15, rtol=1e-12, atol=0)
    with pytest.raises(AssertionError, match=r"differs at index \(1, 0\): got 3.5"):
        assert_close(expected + np.array([[0, 0], [0.5, 0]]), expected, rtol=1e-6, atol=1e-6)
    with pytest.raises(AssertionError, match="shape"):
        assert_close(np.zeros(3), np.zeros(4), rtol=0, atol=0)
    with pytest.raises(AssertionError, match="array or a number, got str"):
        assert_close("1.0", 1.0, rtol=0, atol=0)
    with pytest.raises(AssertionError, match="differs"):
        assert_close(np.array([np.nan]), np.array([1.0]), rtol=1, atol=1)
    assert_close(np.array([np.nan]), np.array([np.nan]), rtol=0, atol=0)


def test_assert_unchanged_walks_containers():
    assert_unchanged([np.ones(2), {"a": 1}], [np.ones(2), {"a": 1}])
    with pytest.raises(AssertionError, match=r"the arguments\[0\] was modified in place"):
        assert_unchanged([np.ones(2)], [np.zeros(2)])
    with pytest.raises(AssertionError, match=r"\['a'\] was modified"):
        assert_unchanged({"a": 1}, {"a": 2})


def test_assert_close_treats_an_infinity_as_equal_only_to_itself():
    expected = np.array([np.inf, -np.inf, 1.0])
    assert_close(expected.copy(), expected, rtol=1e-9, atol=0)
    for wrong in ([np.inf, np.inf, 1.0], [1e308, -np.inf, 1.0], [np.nan, -np.inf, 1.0]):
        with pytest.raises(AssertionError, match="differs"):
            assert_close(np.array(wrong), expected, rtol=1.0, atol=1.0)
    with pytest.raises(AssertionError, match=r"got inf, expected 1\.0"):
        assert_close(np.array([np.inf]), np.array([1.0]), rtol=1.0, atol=1.0)
