"""Hidden tests for dropout: the seeded mask, inverted scaling, eval mode, backward, speed."""

import numpy as np
import pytest
from dropout_checks import (
    assert_same_mask,
    check_backward,
    check_forward,
    check_values,
    expected_mask,
    expected_out,
)

from graders.checks import assert_array, assert_unchanged
from graders.remote import inspect_call

SHAPES = [(7,), (30, 20), (4, 5, 6), (2, 3, 4, 5)]


@pytest.mark.weight(3)
def test_the_mask_is_drawn_from_default_rng_exactly_as_the_contract_says(solution):
    """mask == default_rng(seed).random(x.shape) >= p, boolean, for several seeds, shapes and p."""
    rng = np.random.default_rng(1)
    for shape in SHAPES:
        x = rng.normal(size=shape)
        for p in (0.1, 0.5, 0.9):
            for seed in (0, 7, 2024):
                _, mask = check_forward(
                    solution.dropout_forward(x, p, seed=seed), shape, np.float64
                )
                assert_same_mask(
                    mask, expected_mask(shape, p, seed), f"shape {shape}, p={p}, seed={seed}"
                )


@pytest.mark.weight(3)
def test_kept_entries_are_scaled_by_one_over_one_minus_p(solution, tolerances):
    """out = x * mask / (1 - p): kept entries scaled up, dropped ones exactly zero."""
    rng = np.random.default_rng(2)
    for shape in SHAPES:
        x = rng.normal(scale=3.0, size=shape)
        for p, seed in ((0.2, 1), (0.5, 2), (0.75, 3)):
            out, _ = check_forward(solution.dropout_forward(x, p, seed=seed), shape, np.float64)
            mask = expected_mask(shape, p, seed)
            check_values(
                out,
                expected_out(x, mask, p),
                dtype=np.float64,
                tolerances=tolerances,
                what=f"out, shape {shape}, p={p}",
            )
            assert np.all(out[~mask] == 0.0), f"p={p}: dropped entries must be exactly 0"


@pytest.mark.weight(2)
def test_float32_stays_float32_and_integers_and_lists_become_float64(solution, tolerances):
    """Floating dtypes are kept; integers, booleans and nested lists give float64."""
    rng = np.random.default_rng(3)
    x64 = rng.normal(size=(40, 25))
    mask = expected_mask(x64.shape, 0.3, 5)
    x32 = x64.astype(np.float32)
    out, _ = check_forward(solution.dropout_forward(x32, 0.3, seed=5), x32.shape, np.float32)
    check_values(
        out,
        expected_out(x32, mask, 0.3),
        dtype=np.float32,
        tolerances=tolerances,
        what="out for float32 input",
    )
    back = solution.dropout_backward(x32, mask, 0.3)
    assert_array(back, what="dropout_backward of a float32 grad_out", shape=x32.shape, dtype="f4")
    xi = rng.integers(-50, 50, size=(40, 25))
    for data, label in ((xi, "an int64 array"), (xi.tolist(), "a nested list")):
        out, got_mask = check_forward(
            solution.dropout_forward(data, 0.3, seed=5), xi.shape, np.float64
        )
        assert_same_mask(got_mask, mask, label)
        check_values(
            out,
            expected_out(xi, mask, 0.3),
            dtype=np.float64,
            tolerances=tolerances,
            what=f"out for {label}",
        )
    out, _ = check_forward(
        solution.dropout_forward(xi > 0, 0.3, training=False), xi.shape, np.float64, training=False
    )
    np.testing.assert_array_equal(out, (xi > 0).astype(np.float64), err_msg="boolean input, eval")


@pytest.mark.weight(2)
def test_evaluation_mode_is_the_identity_and_returns_no_mask(solution):
    """training=False: out has the values of x (whatever p), no mask; backward passes through."""
    rng = np.random.default_rng(4)
    for dtype in (np.float64, np.float32):
        x = rng.normal(size=(25, 8)).astype(dtype)
        for p in (0.0, 0.5, 1.0):
            out, _ = check_forward(
                solution.dropout_forward(x, p, training=False, seed=3),
                x.shape,
                dtype,
                training=False,
            )
            np.testing.assert_array_equal(out, x, err_msg=f"training=False, p={p}, {x.dtype}")
            back = solution.dropout_backward(x, None, p)
            assert_array(back, what="dropout_backward with mask=None", shape=x.shape, dtype=dtype)
            np.testing.assert_array_equal(
                back, x, err_msg=f"dropout_backward(grad, None, p={p}) must return grad unchanged"
            )


@pytest.mark.weight(2)
def test_p_zero_keeps_everything_and_p_one_drops_everything_without_nan(solution):
    """p = 0: out == x, mask all True; p = 1: out and the gradient all zeros, mask all False."""
    rng = np.random.default_rng(5)
    for dtype in (np.float64, np.float32):
        x = rng.normal(size=(12, 9)).astype(dtype)
        out, mask = check_forward(solution.dropout_forward(x, 0.0, seed=1), x.shape, dtype)
        assert mask.all(), "p=0: every element must be kept"
        np.testing.assert_array_equal(out, x, err_msg="p=0: out must equal x")
        out, mask = check_forward(solution.dropout_forward(x, 1.0, seed=1), x.shape, dtype)
        assert not mask.any(), "p=1: every element must be dropped"
        assert_array(out, what="out with p=1", shape=x.shape, dtype=dtype)
        assert np.all(out == 0.0), "p=1: out must be all zeros"
        back = solution.dropout_backward(x, mask, 1.0)
        assert_array(back, what="dropout_backward with p=1", shape=x.shape, dtype=dtype)
        assert np.all(back == 0.0), "p=1: the gradient must be all zeros"
        out, _ = check_forward(solution.dropout_forward(x, np.float32(1.0), seed=1), x.shape, dtype)
        assert np.all(out == 0.0), "p=np.float32(1): out must be all zeros"


@pytest.mark.weight(3)
def test_backward_sends_the_gradient_through_the_forward_mask(solution, tolerances):
    """dx = grad_out * mask / (1 - p), with the mask the forward pass returned."""
    rng = np.random.default_rng(6)
    for shape in SHAPES:
        x = rng.normal(size=shape)
        grad = rng.normal(size=shape)
        for p, seed in ((0.25, 11), (0.6, 12)):
            _, mask = check_forward(solution.dropout_forward(x, p, seed=seed), shape, np.float64)
            expected = expected_out(grad, expected_mask(shape, p, seed), p)
            got = solution.dropout_backward(grad, mask, p)
            assert_array(got, what="dropout_backward", shape=shape, dtype=np.float64)
            check_values(
                got,
                expected,
                dtype=np.float64,
                tolerances=tolerances,
                what=f"the gradient, shape {shape}, p={p}",
            )
            # The gradient of sum(out * grad) w.r.t. x: forward is linear in x for a fixed mask.
            out, _ = solution.dropout_forward(x, p, seed=seed)
            dot = float((out * grad).sum())
            assert np.isclose(dot, float((x * got).sum()), rtol=1e-10, atol=1e-12), (
                f"p={p}: <forward(x), g> must equal <x, backward(g)> for the same mask"
            )


@pytest.mark.weight(1)
def test_about_a_fraction_one_minus_p_is_kept_and_the_mean_is_preserved(solution):
    """Over 200,000 ones: the kept fraction is near 1 - p and the mean of out near 1."""
    x = np.ones((400, 500))
    for p, seed in ((0.1, 21), (0.5, 22), (0.8, 23)):
        out, mask = check_forward(solution.dropout_forward(x, p, seed=seed), x.shape, np.float64)
        sigma = np.sqrt(p * (1 - p) / x.size)
        kept = float(mask.mean())
        assert abs(kept - (1 - p)) < 5 * sigma, f"p={p}: kept fraction {kept:.4f}, expected {1 - p}"
        assert abs(float(out.mean()) - 1.0) < 5 * sigma / (1 - p), (
            f"p={p}: the mean of out is {float(out.mean()):.4f}; inverted dropout keeps it near 1"
        )


@pytest.mark.weight(1)
def test_empty_scalar_and_single_element_inputs(solution):
    """Empty arrays, 0-d arrays and one-element arrays follow the same contract."""
    for shape in ((0,), (3, 0), (), (1,)):
        x = np.full(shape, 2.0)
        for seed in (0, 1, 2):
            out, mask = check_forward(
                solution.dropout_forward(x, 0.5, seed=seed), shape, np.float64
            )
            expected = expected_mask(shape, 0.5, seed)
            assert_same_mask(mask, expected, f"shape {shape}, seed {seed}")
            np.testing.assert_array_equal(out, np.where(expected, 4.0, 0.0), err_msg=f"{shape}")
            back = check_backward(solution.dropout_backward(np.ones(shape), mask, 0.5), shape, "f8")
            np.testing.assert_array_equal(back, np.where(expected, 2.0, 0.0), err_msg=f"{shape}")


@pytest.mark.weight(1)
def test_nan_and_inf_that_are_kept_stay_nan_and_inf(solution):
    """A kept NaN stays NaN and a kept inf stays inf (scaled); finite dropped entries are 0."""
    x = np.array([np.nan, np.inf, -np.inf, 1.0] * 50)
    mask = expected_mask(x.shape, 0.5, 9)
    out, _ = check_forward(solution.dropout_forward(x, 0.5, seed=9), x.shape, np.float64)
    assert np.isnan(out[mask & np.isnan(x)]).all(), "a kept NaN must stay NaN"
    assert np.all(out[mask & (x == np.inf)] == np.inf), "a kept inf must stay inf"
    assert np.all(out[mask & (x == -np.inf)] == -np.inf), "a kept -inf must stay -inf"
    assert np.all(out[~mask & (x == 1.0)] == 0.0), "a dropped finite entry must be 0"
    assert np.all(out[mask & (x == 1.0)] == 2.0), "a kept 1.0 must be 2.0 with p=0.5"


@pytest.mark.weight(1)
def test_rejects_bad_p_bad_masks_and_complex_input_with_value_error(solution):
    """ValueError for p outside [0, 1] or NaN, a non-boolean or wrongly shaped mask, complex x."""
    x = np.ones((3, 4))
    for bad_p in (-0.1, 1.5, float("nan"), 2):
        with pytest.raises(ValueError):
            solution.dropout_forward(x, bad_p, seed=0)
        with pytest.raises(ValueError):
            solution.dropout_backward(x, np.ones((3, 4), dtype=bool), bad_p)
    with pytest.raises(ValueError):
        solution.dropout_forward(x.astype(np.complex128), 0.5, seed=0)
    with pytest.raises(ValueError):
        solution.dropout_backward(x, np.ones((4, 3), dtype=bool), 0.5)
    with pytest.raises(ValueError):
        solution.dropout_backward(x, np.ones((3, 4)), 0.5)


@pytest.mark.weight(1)
def test_does_not_modify_its_inputs(solution):
    """Neither the forward nor the backward pass changes its arguments in place."""
    rng = np.random.default_rng(10)
    for dtype in (np.float64, np.float32):
        x = rng.normal(size=(20, 10)).astype(dtype)
        _, args, _ = inspect_call(solution.dropout_forward, x.copy(), 0.5, seed=3)
        assert_unchanged(x, args[0], what="x")
        grad = rng.normal(size=(20, 10)).astype(dtype)
        mask = expected_mask(grad.shape, 0.5, 3)
        _, args, _ = inspect_call(solution.dropout_backward, grad.copy(), mask.copy(), 0.5)
        assert_unchanged(grad, args[0], what="grad_out")
        assert_unchanged(mask, args[1], what="mask")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_a_1000_by_1000_float32_batch(solution, reference, speed, tolerances):
    """Speed of dropout_forward against a vectorized reference: (1000, 1000) float32, p = 0.3."""

    def make_case(rng):
        x = rng.standard_normal((1000, 1000), dtype=np.float32)
        return speed.case(x, 0.3, seed=int(rng.integers(2**31)))

    def check(case, got, expected):
        x = case.args[0]
        out, mask = check_forward(got, x.shape, np.float32)
        assert_same_mask(mask, expected[1], "the speed test's batch")
        check_values(
            out,
            expected[0],
            dtype=np.float32,
            tolerances=tolerances,
            what="out on the speed test's batch",
        )

    speed.compare(solution.dropout_forward, reference.dropout_forward, make_case, check)
