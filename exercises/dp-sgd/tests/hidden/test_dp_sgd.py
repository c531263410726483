"""Hidden tests for dp-sgd: joint per-sample clipping, the noise and its order, the step,
errors, inputs left alone, speed."""

import numpy as np
import pytest
from dp_checks import (
    MODELS,
    assert_lists_close,
    check_list,
    random_grads,
    trusted_clip,
    trusted_privatize,
)

from graders.checks import assert_array, assert_close, assert_unchanged
from graders.remote import inspect_call


def _check_clip_result(result, grads):
    assert isinstance(result, tuple) and len(result) == 2, (
        "clip_per_sample must return a tuple (clipped, norms)"
    )
    clipped = check_list(result[0], [g.shape for g in grads], "clipped")
    norms = assert_array(result[1], what="norms", shape=(len(grads[0]),), dtype=np.float64)
    return clipped, norms


@pytest.mark.weight(3)
def test_clipping_uses_the_joint_norm_of_all_tensors(solution, tolerances):
    """Each example is scaled by min(1, C / n_i), n_i over all its tensors; norms before."""
    rng = np.random.default_rng(700)
    for shapes in MODELS:
        for batch, max_norm in ((1, 1.0), (9, 1.0), (16, 0.25), (6, 5.0)):
            grads = random_grads(rng, batch, shapes)
            clipped, norms = _check_clip_result(solution.clip_per_sample(grads, max_norm), grads)
            expected, expected_norms = trusted_clip(grads, max_norm)
            what = f"shapes {shapes}, B={batch}, max_norm={max_norm}"
            tol = {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}
            assert_close(norms, expected_norms, **tol, what=f"norms, {what}")
            assert_lists_close(clipped, expected, **tol, what=f"clipped, {what}")


@pytest.mark.weight(1)
def test_gradients_within_the_bound_are_unchanged_and_zero_stays_zero(solution):
    """Norm below or equal to C: untouched (exactly); a zero gradient: zero, not NaN."""
    grads = [
        np.array([[0.0, 0.0], [0.3, 0.4], [3.0, 4.0], [0.0, 0.0]]),
        np.array([[0.0], [0.0], [0.0], [0.0]]),
    ]
    clipped, norms = _check_clip_result(solution.clip_per_sample(grads, 0.5), grads)
    np.testing.assert_array_equal(norms, [0.0, 0.5, 5.0, 0.0], err_msg="norms")
    np.testing.assert_array_equal(clipped[0][[0, 1, 3]], grads[0][[0, 1, 3]])
    np.testing.assert_allclose(clipped[0][2], [0.3, 0.4], rtol=1e-12)
    np.testing.assert_array_equal(clipped[1], grads[1])
    rng = np.random.default_rng(701)
    small = random_grads(rng, 10, [(3, 3), (3,)], scale=0.01)
    clipped, _ = _check_clip_result(solution.clip_per_sample(small, 1.0), small)
    for got, given in zip(clipped, small, strict=True):
        np.testing.assert_array_equal(got, given, err_msg="within the bound must be unchanged")


@pytest.mark.weight(3)
def test_privatize_adds_the_noise_of_the_contract_in_order(solution, tolerances):
    """(sum of clipped + N(0, (sigma C)^2) drawn per tensor, in order) / B, for a given seed."""
    rng = np.random.default_rng(702)
    tol = {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}
    for shapes in MODELS:
        for batch, max_norm, sigma, seed in ((8, 1.0, 1.1, 0), (3, 0.5, 0.0, 1), (20, 2.0, 4.0, 2)):
            grads = random_grads(rng, batch, shapes)
            got = solution.privatize(grads, max_norm=max_norm, noise_multiplier=sigma, rng=seed)
            got = check_list(got, shapes, "privatize")
            expected = trusted_privatize(grads, max_norm, sigma, seed)
            assert_lists_close(
                got,
                expected,
                **tol,
                what=f"shapes {shapes}, B={batch}, C={max_norm}, sigma={sigma}",
            )


@pytest.mark.weight(1)
def test_the_noise_has_standard_deviation_sigma_c_over_b(solution):
    """Statistically: zero gradients, 40,000 entries, the noise has mean 0 and std sigma C / B."""
    grads = [np.zeros((4, 200, 100)), np.zeros((4, 100))]
    for seed, sigma, max_norm in ((3, 1.0, 1.0), (4, 0.7, 3.0)):
        got = solution.privatize(grads, max_norm=max_norm, noise_multiplier=sigma, rng=seed)
        check_list(got, [(200, 100), (100,)], "privatize")
        noise = got[0].ravel()
        expected_std = sigma * max_norm / 4
        assert abs(noise.std() / expected_std - 1.0) < 0.03, (
            f"noise std {noise.std():.4g}, expected sigma * C / B = {expected_std:.4g}"
        )
        assert abs(noise.mean()) < 0.03 * expected_std, f"noise mean {noise.mean():.3g} is not 0"


@pytest.mark.weight(1)
def test_a_generator_and_its_seed_give_the_same_noise(solution, tolerances):
    """rng may be an integer seed or a np.random.Generator; the same seed, the same result."""
    rng = np.random.default_rng(703)
    grads = random_grads(rng, 5, [(4, 2), (2,)])
    kwargs = {"max_norm": 1.0, "noise_multiplier": 2.0}
    from_seed = check_list(solution.privatize(grads, rng=42, **kwargs), [(4, 2), (2,)], "privatize")
    from_generator = solution.privatize(grads, rng=np.random.default_rng(42), **kwargs)
    check_list(from_generator, [(4, 2), (2,)], "privatize")
    again = solution.privatize(grads, rng=42, **kwargs)
    for a, b, c in zip(from_seed, from_generator, again, strict=True):
        np.testing.assert_array_equal(a, b, err_msg="a seed and default_rng(seed) differ")
        np.testing.assert_array_equal(a, c, err_msg="the same seed gave different noise")


@pytest.mark.weight(2)
def test_dp_sgd_step_moves_params_against_the_noisy_gradient(solution, tolerances):
    """new params = params - lr * privatize(...), for several models, seeds and rates."""
    rng = np.random.default_rng(704)
    tol = {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}
    for shapes, lr, seed in zip(MODELS, (0.1, 0.5, 1.0, 0.01), range(4), strict=True):
        params = [rng.normal(size=shape) for shape in shapes]
        grads = random_grads(rng, 7, shapes)
        got = solution.dp_sgd_step(
            params, grads, lr=lr, max_norm=1.0, noise_multiplier=1.3, rng=seed
        )
        got = check_list(got, shapes, "dp_sgd_step")
        noisy = trusted_privatize(grads, 1.0, 1.3, seed)
        expected = [p - lr * g for p, g in zip(params, noisy, strict=True)]
        assert_lists_close(got, expected, **tol, what=f"dp_sgd_step, shapes {shapes}, lr={lr}")


@pytest.mark.weight(1)
def test_large_gradients_and_a_single_example(solution, tolerances):
    """Gradients of 1e100 are clipped to C; a batch of one example works."""
    grads = [np.array([[3e100, -4e100]]), np.array([[0.0]])]
    clipped, norms = _check_clip_result(solution.clip_per_sample(grads, 2.0), grads)
    assert_close(norms, [5e100], rtol=1e-12, atol=0, what="norms")
    assert_close(clipped[0], [[1.2, -1.6]], rtol=1e-12, atol=0, what="clipped[0]")
    got = solution.privatize(grads, max_norm=2.0, noise_multiplier=0.5, rng=7)
    check_list(got, [(2,), (1,)], "privatize")
    expected = trusted_privatize(grads, 2.0, 0.5, 7)
    assert_lists_close(
        got, expected, rtol=tolerances["rtol"], atol=tolerances["atol"], what="privatize, B=1"
    )


@pytest.mark.weight(1)
def test_inputs_are_not_modified(solution):
    """clip_per_sample, privatize and dp_sgd_step leave their arrays as they were."""
    rng = np.random.default_rng(705)
    shapes = [(3, 2), (2,)]
    grads = random_grads(rng, 6, shapes, scale=3.0)
    params = [rng.normal(size=shape) for shape in shapes]
    _, args, _ = inspect_call(solution.clip_per_sample, grads, 1.0)
    assert_unchanged(grads, args[0], what="clip_per_sample's per_sample_grads")
    _, args, _ = inspect_call(solution.privatize, grads, max_norm=1.0, noise_multiplier=1.0, rng=0)
    assert_unchanged(grads, args[0], what="privatize's per_sample_grads")
    _, args, _ = inspect_call(
        solution.dp_sgd_step, params, grads, lr=0.1, max_norm=1.0, noise_multiplier=1.0, rng=0
    )
    assert_unchanged([params, grads], args, what="dp_sgd_step's params and per_sample_grads")


@pytest.mark.weight(1)
def test_rejects_bad_inputs_with_value_error(solution):
    """ValueError for empty, mismatched or non-finite gradients and bad hyperparameters."""
    good = [np.ones((3, 2)), np.ones((3,))]
    bad_grads = [
        [],
        [np.ones((3, 2)), np.ones((4,))],
        [np.ones((0, 2))],
        [np.float64(1.0)],
        [np.array([[1.0, np.nan], [0.0, 0.0]])],
        [np.array([[1.0, np.inf], [0.0, 0.0]])],
    ]
    for grads in bad_grads:
        with pytest.raises(ValueError):
            solution.clip_per_sample(grads, 1.0)
        with pytest.raises(ValueError):
            solution.privatize(grads, max_norm=1.0, noise_multiplier=1.0, rng=0)
    for max_norm in (0.0, -1.0, float("inf"), float("nan")):
        with pytest.raises(ValueError):
            solution.clip_per_sample(good, max_norm)
    with pytest.raises(ValueError):
        solution.privatize(good, max_norm=1.0, noise_multiplier=-0.5, rng=0)
    for params in ([np.zeros(2)], [np.zeros(2), np.zeros(3)], [np.zeros(3), np.zeros(2)]):
        with pytest.raises(ValueError):
            solution.dp_sgd_step(params, good, lr=0.1, max_norm=1.0, noise_multiplier=1.0, rng=0)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_privatize_on_128_examples(solution, reference, speed, tolerances):
    """Speed of privatize against a vectorized reference: B=128, about 5,000 parameters."""
    shapes = [(64, 64), (64,), (64, 10), (10,)]

    def make_case(rng):
        grads = random_grads(rng, 128, shapes)
        return speed.case(grads, max_norm=1.0, noise_multiplier=1.1, rng=int(rng.integers(2**31)))

    def check(case, got, expected):
        check_list(got, shapes, "privatize")
        assert_lists_close(got, expected, rtol=1e-8, atol=1e-12, what="privatize")

    speed.compare(solution.privatize, reference.privatize, make_case, check)
