"""Hidden tests for grad-clipping: against torch.nn.utils.clip_grad_norm_, edge cases, speed."""

import math

import numpy as np
import pytest
from clip_checks import check_result, compare_with_torch, random_grads

from graders.checks import assert_close, assert_unchanged
from graders.remote import inspect_call


@pytest.mark.weight(1)
def test_returns_new_arrays_and_the_total_norm_as_a_float(solution):
    """(clipped, total_norm): a list of float64 arrays shaped like grads, and a float."""
    rng = np.random.default_rng(0)
    for max_norm in (0.1, 1e6):
        grads = random_grads(rng)
        check_result(solution.clip_grad_norm(grads, max_norm), grads)


@pytest.mark.weight(3)
def test_matches_torch_clip_grad_norm_for_the_2_norm(solution, tolerances):
    """The 2-norm: clipped gradients and total norm as torch computes them, above and below."""
    rng = np.random.default_rng(1)
    for scale in (1e-3, 1.0, 1e4):
        for max_norm in (0.0, 0.5, 5.0, 1e3):
            compare_with_torch(solution, random_grads(rng, scale=scale), max_norm, tolerances)
    shapes = [(50, 20), (20,), (10, 10)]
    compare_with_torch(solution, random_grads(rng, shapes), 1.0, tolerances)


@pytest.mark.weight(2)
def test_matches_torch_for_other_norm_types(solution, tolerances):
    """norm_type 1, 3, 0.5 and math.inf (the largest absolute entry)."""
    rng = np.random.default_rng(2)
    for norm_type in (1.0, 3.0, 0.5, math.inf, 2):
        for max_norm in (0.3, 2.0, 1e4):
            compare_with_torch(
                solution, random_grads(rng), max_norm, tolerances, norm_type=norm_type
            )
    # The max norm takes absolute values: the largest entry is negative here.
    grads = [np.array([-9.0, 1.0]), np.array([[2.0, -3.0]])]
    compare_with_torch(solution, grads, 1.0, tolerances, norm_type=math.inf)


@pytest.mark.weight(1)
def test_the_coefficient_is_max_norm_over_total_plus_1e_6_capped_at_1(solution, tolerances):
    """A norm equal to max_norm is still scaled; small norms show the 1e-6; below: unchanged."""
    rng = np.random.default_rng(3)
    grads = [np.array([3.0, 0.0]), np.array([[4.0]])]  # total norm 5
    compare_with_torch(solution, grads, 5.0, tolerances)
    compare_with_torch(solution, grads, 5.0 + 5e-7, tolerances)
    small = random_grads(rng, scale=1e-5)
    compare_with_torch(solution, small, 1e-6, tolerances)
    clipped, _ = check_result(solution.clip_grad_norm(grads, 6.0), grads)
    for c, g in zip(clipped, grads, strict=True):
        np.testing.assert_array_equal(c, g, err_msg="below max_norm the gradients are unchanged")


@pytest.mark.weight(1)
def test_non_finite_gradients_are_scaled_as_torch_does_by_default(solution, tolerances):
    """With error_if_nonfinite=False: an infinite norm gives c = 0, a NaN norm c = NaN."""
    cases = [
        [np.array([1.0, np.inf, -2.0]), np.array([[3.0]])],
        [np.array([1.0, -np.inf]), np.array([[3.0]])],
        [np.array([1.0, np.nan]), np.array([[3.0]])],
    ]
    for grads in cases:
        for norm_type in (2.0, 1.0, math.inf):
            compare_with_torch(solution, grads, 1.0, tolerances, norm_type=norm_type, finite=False)


@pytest.mark.weight(1)
def test_error_if_nonfinite_raises_value_error_only_for_a_non_finite_norm(solution, tolerances):
    """error_if_nonfinite=True: ValueError for an inf or NaN norm; finite norms clip as usual."""
    for bad in (np.inf, np.nan):
        for norm_type in (2.0, math.inf):
            with pytest.raises(ValueError):
                solution.clip_grad_norm(
                    [np.array([1.0, bad]), np.ones(2)],
                    1.0,
                    norm_type=norm_type,
                    error_if_nonfinite=True,
                )
    grads = random_grads(np.random.default_rng(4))
    got = check_result(solution.clip_grad_norm(grads, 0.5, error_if_nonfinite=True), grads)
    expected = check_result(solution.clip_grad_norm(grads, 0.5), grads)
    assert_close(got[1], expected[1], rtol=0, atol=0, what="total_norm")


@pytest.mark.weight(1)
def test_edge_cases_no_gradients_empty_arrays_zeros_and_large_values(solution, tolerances):
    """An empty list, arrays without entries, all-zero gradients, 0-d arrays, values ~1e100."""
    clipped, total = check_result(solution.clip_grad_norm([], 1.0), [])
    assert clipped == [] and total == 0.0, f"no gradients: expected ([], 0.0), got {clipped, total}"
    rng = np.random.default_rng(5)
    for norm_type in (2.0, math.inf, 1.0):
        empty = [np.zeros((0,)), np.zeros((3, 0))]
        compare_with_torch(solution, empty, 1.0, tolerances, norm_type=norm_type)
        zeros = [np.zeros(3), np.zeros((2, 2)), np.zeros(())]
        compare_with_torch(solution, zeros, 1.0, tolerances, norm_type=norm_type)
        mixed = [np.zeros((0, 2)), *random_grads(rng)]
        compare_with_torch(solution, mixed, 0.5, tolerances, norm_type=norm_type)
        scalars = [np.array(3.0), np.array(-4.0)]
        compare_with_torch(solution, scalars, 1.0, tolerances, norm_type=norm_type)
        huge = random_grads(rng, scale=1e100)
        compare_with_torch(solution, huge, 1.0, tolerances, norm_type=norm_type)


@pytest.mark.weight(1)
def test_does_not_modify_the_gradients(solution):
    """The arrays passed in keep their values: clipping returns new arrays."""
    rng = np.random.default_rng(6)
    for max_norm, norm_type in ((0.1, 2.0), (0.1, math.inf), (1e9, 2.0)):
        grads = random_grads(rng)
        result, args_after, _ = inspect_call(
            solution.clip_grad_norm, grads, max_norm, norm_type=norm_type
        )
        check_result(result, grads)
        assert_unchanged(grads, args_after[0], what="grads")


@pytest.mark.weight(1)
def test_rejects_negative_max_norm_and_bad_norm_types_with_value_error(solution):
    """ValueError for max_norm < 0 or NaN, and for norm_type <= 0 or NaN."""
    grads = [np.ones(3)]
    for max_norm, norm_type in [(-1.0, 2.0), (math.nan, 2.0), (1.0, 0.0), (1.0, -2.0)]:
        with pytest.raises(ValueError):
            solution.clip_grad_norm(grads, max_norm, norm_type=norm_type)
    with pytest.raises(ValueError):
        solution.clip_grad_norm(grads, 1.0, norm_type=math.nan)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_a_million_entries(solution, reference, speed, tolerances):
    """Speed against a vectorized reference: ~1M gradient entries in 8 arrays, the 2-norm."""
    shapes = [(512, 512), (512,), (512, 512), (512,), (512, 512), (256, 512), (512,), (10,)]

    def make_case(rng):
        return speed.case([rng.normal(size=s) for s in shapes], 100.0)

    def check(case, got, expected):
        grads = case.args[0]
        clipped, total = check_result(got, grads)
        expected_clipped, expected_total = check_result(expected, grads)
        tol = {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}
        assert_close(total, expected_total, **tol, what="total_norm")
        for i, (c, e) in enumerate(zip(clipped, expected_clipped, strict=True)):
            assert_close(c, e, **tol, what=f"clipped[{i}]")

    speed.compare(solution.clip_grad_norm, reference.clip_grad_norm, make_case, check)
