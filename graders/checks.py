"""Assertions for exercise tests, with messages a candidate can act on.

    from graders.checks import assert_array, assert_close, assert_unchanged

Values that come back from `solution` are already plain (graders.codec), so these check the
contract: type, dtype, shape, finiteness, closeness with explicit tolerances, and that the
arguments a function received are as they were (with `graders.remote.inspect_call`).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def _to_numpy(value: Any) -> np.ndarray[Any, Any] | None:
    if type(value) is np.ndarray:
        return value
    torch = __import__("sys").modules.get("torch")
    if torch is not None and type(value) is torch.Tensor:
        return np.asarray(
            value.detach().float().numpy()
            if str(value.dtype) == "torch.bfloat16"
            else value.detach().numpy()
        )
    return None


def assert_array(
    value: Any,
    *,
    what: str = "the result",
    shape: tuple[int, ...] | None = None,
    dtype: Any = None,
    kind: str | None = None,
    finite: bool = True,
) -> np.ndarray[Any, Any]:
    """`value` is a numpy array of the given shape, dtype (or dtype kind: "f", "iu", "b") and,
    when `finite`, without NaN or inf; returns it."""
    assert type(value) is np.ndarray, f"{what} must be a numpy array, got {type(value).__name__}"
    if shape is not None:
        assert value.shape == tuple(shape), (
            f"{what} must have shape {tuple(shape)}, got {value.shape}"
        )
    if dtype is not None:
        assert value.dtype == np.dtype(dtype), (
            f"{what} must be {np.dtype(dtype)}, got {value.dtype}"
        )
    if kind is not None:
        assert value.dtype.kind in kind, (
            f"{what} must have a dtype of kind {kind!r}, got {value.dtype}"
        )
    if finite and value.dtype.kind in "fc":
        bad = int(np.size(value) - np.count_nonzero(np.isfinite(value)))
        assert bad == 0, f"{what} has {bad} NaN or infinite values"
    return value


def assert_close(
    actual: Any, expected: Any, *, rtol: float, atol: float, what: str = "the result"
) -> None:
    """`actual` equals `expected` within `atol + rtol * |expected|`, elementwise, with the same
    shape; numpy arrays, tensors and numbers alike. The message names the worst element."""
    expected_array = np.asarray(
        _to_numpy(expected) if _to_numpy(expected) is not None else expected, dtype=np.float64
    )
    actual_numpy = _to_numpy(actual)
    if actual_numpy is None:
        assert isinstance(actual, int | float | np.number) and not isinstance(actual, bool), (
            f"{what} must be an array or a number, got {type(actual).__name__}"
        )
        actual_numpy = np.asarray(actual)
    actual_array = np.asarray(actual_numpy, dtype=np.float64)
    assert actual_array.shape == expected_array.shape, (
        f"{what} must have shape {expected_array.shape}, got {actual_array.shape}"
    )
    if actual_array.size == 0:
        return
    # NaN where NaN is expected, and an infinity of the expected sign, are equal (inf - inf is
    # NaN, so they need saying); any other NaN or infinity counts as a difference.
    same = (np.isnan(actual_array) & np.isnan(expected_array)) | (
        np.isinf(expected_array) & (actual_array == expected_array)
    )
    with np.errstate(invalid="ignore"):
        error = np.where(same, 0.0, np.abs(actual_array - expected_array))
    # An expected infinity allows only itself (atol + rtol * inf would allow anything).
    allowed = np.where(np.isinf(expected_array), 0.0, atol + rtol * np.abs(expected_array))
    bad = ~(error <= allowed) & ~same
    if bad.any():
        worst = np.unravel_index(int(np.argmax(np.where(bad, error - allowed, -np.inf))), bad.shape)
        at = f" at index {tuple(int(i) for i in worst)}" if actual_array.ndim else ""
        raise AssertionError(
            f"{what} differs{at}: got {float(actual_array[worst])!r}, "
            f"expected {float(expected_array[worst])!r} "
            f"({int(bad.sum())} of {bad.size} values off; rtol={rtol:g}, atol={atol:g})"
        )


def assert_unchanged(before: Any, after: Any, *, what: str = "the arguments") -> None:
    """What a function received equals what it was given (from `inspect_call`): it did not
    modify its inputs in place."""
    before_numpy, after_numpy = _to_numpy(before), _to_numpy(after)
    if before_numpy is not None or after_numpy is not None:
        assert before_numpy is not None and after_numpy is not None, f"{what} changed type"
        assert before_numpy.shape == after_numpy.shape and np.array_equal(
            before_numpy, after_numpy, equal_nan=True
        ), f"{what} was modified in place"
        return
    if isinstance(before, list | tuple):
        assert isinstance(after, list | tuple) and len(before) == len(after), f"{what} changed"
        for i, (b, a) in enumerate(zip(before, after, strict=True)):
            assert_unchanged(b, a, what=f"{what}[{i}]")
        return
    if isinstance(before, dict):
        assert isinstance(after, dict) and before.keys() == after.keys(), f"{what} changed"
        for key in before:
            assert_unchanged(before[key], after[key], what=f"{what}[{key!r}]")
        return
    assert before == after, f"{what} was modified in place"
