"""Hidden tests for loss-scaling: unscale, the update rule vs torch.amp.GradScaler, SGD steps."""

import math

import numpy as np
import pytest
from scaler_checks import (
    FP16_MAX,
    TorchTrainer,
    check_array_list,
    check_pair,
    check_state,
    rule_trajectory,
    scaled_fp16_grads,
)

from graders.checks import assert_close, assert_unchanged
from graders.remote import inspect_call


@pytest.mark.weight(1)
def test_starts_at_init_scale_and_scales_losses(solution, tolerances):
    """get_scale() = init_scale, tracker 0; scale_loss multiplies numbers and arrays."""
    scaler = solution.DynamicLossScaler()
    check_state(scaler, 65536.0, 0, tolerances, where="default scaler")
    scaler = solution.DynamicLossScaler(init_scale=1024.0, growth_interval=3)
    check_state(scaler, 1024.0, 0, tolerances, where="init_scale=1024")
    loss = scaler.scale_loss(0.75)
    assert isinstance(loss, float), f"scale_loss(0.75) must be a float, got {type(loss).__name__}"
    assert_close(loss, 768.0, rtol=0, atol=0, what="scale_loss(0.75)")
    losses = np.array([0.5, -2.0, 3.25])
    got = check_array_list([scaler.scale_loss(losses)], [losses], what="scale_loss(array)")[0]
    assert_close(got, losses * 1024.0, rtol=0, atol=0, what="scale_loss(array)")


@pytest.mark.weight(2)
def test_unscale_divides_by_the_scale_and_detects_inf_and_nan(solution, tolerances):
    """float16/32/64 gradients come back as float64 / scale; any inf or NaN sets found_inf."""
    rng = np.random.default_rng(1)
    scaler = solution.DynamicLossScaler(init_scale=3000.0)
    tol = {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}
    shapes = [(4, 3), (5,), (), (0, 2), (2, 2, 2)]
    for dtype in (np.float16, np.float32, np.float64):
        grads = [(100.0 * rng.normal(size=s)).astype(dtype) for s in shapes]
        unscaled, found_inf = check_pair(scaler.unscale(grads), grads, what="unscale")
        assert found_inf is False, f"{dtype.__name__} finite gradients: found_inf must be False"
        for i, (u, g) in enumerate(zip(unscaled, grads, strict=True)):
            assert_close(u, g.astype(np.float64) / 3000.0, **tol, what=f"unscaled[{i}]")
        for bad in (np.inf, -np.inf, np.nan):
            for index in (0, len(grads) - 1):
                broken = [g.copy() for g in grads]
                broken[index].reshape(-1)[-1] = bad
                _, found_inf = check_pair(
                    scaler.unscale(broken), broken, what="unscale", finite=False
                )
                assert found_inf is True, f"a {bad} in gradient {index}: found_inf must be True"
    assert check_pair(scaler.unscale([]), [], what="unscale([])") == ([], False)
    check_state(scaler, 3000.0, 0, tolerances, where="after unscale (no state change)")
    # A scale below 1 can make finite gradients overflow when unscaled.
    tiny = solution.DynamicLossScaler(init_scale=1e-300)
    _, found_inf = check_pair(
        tiny.unscale([np.array([1e10, 1.0])]), [np.ones(2)], what="unscale", finite=False
    )
    assert found_inf is True, "1e10 / 1e-300 overflows to inf: found_inf must be True"


@pytest.mark.weight(3)
def test_training_matches_torch_grad_scaler_and_sgd(solution, tolerances):
    """Iterations with float16 overflow: skipped steps, scale and tracker, params as torch's."""
    shapes = [(6, 4), (4,), ()]
    configs = [
        ({}, 0.01, 40),
        ({"init_scale": 2.0**10, "growth_interval": 3}, 0.1, 50),
        (
            {
                "init_scale": 2.0**20,
                "growth_factor": 4.0,
                "backoff_factor": 0.25,
                "growth_interval": 1,
            },
            0.05,
            40,
        ),
        ({"init_scale": 2.0**14, "growth_factor": 2.0, "growth_interval": 5}, 0.02, 60),
    ]
    for seed, (config, lr, iterations) in enumerate(configs):
        config = {"growth_interval": 4, **config}
        rng = np.random.default_rng(10 + seed)
        params = [rng.normal(size=s) for s in shapes]
        trainer = TorchTrainer(params, lr, **config)
        scaler = solution.DynamicLossScaler(**config)
        skips = 0
        for it in range(iterations):
            where = f"{config}, iteration {it + 1}"
            scaled = scaled_fp16_grads(rng, shapes, trainer.get_scale(), nan=it % 17 == 16)
            expected, skipped, scale, tracker = trainer.step(scaled)
            got, got_skipped = check_pair(scaler.step(params, scaled, lr), params, what="step")
            assert got_skipped == skipped, f"{where}: skipped must be {skipped}"
            for i, (g, e) in enumerate(zip(got, expected, strict=True)):
                assert_close(
                    g,
                    e,
                    rtol=tolerances["rtol"],
                    atol=tolerances["atol"],
                    what=f"{where}: new_params[{i}]",
                )
            check_state(scaler, scale, tracker, tolerances, where=where)
            params, skips = got, skips + skipped
        assert 3 <= skips <= iterations - 10, skips  # the data exercise both branches


@pytest.mark.weight(2)
def test_update_follows_the_rule_for_any_factors_and_intervals(solution, tolerances):
    """update(found_inf) over long random sequences, factors that are not powers of two."""
    rng = np.random.default_rng(2)
    configs = [
        {"init_scale": 1000.0, "growth_factor": 1.5, "backoff_factor": 0.3, "growth_interval": 3},
        {"init_scale": 7.0, "growth_factor": 3.0, "backoff_factor": 0.9, "growth_interval": 1},
        {"init_scale": 65536.0, "growth_factor": 2.0, "backoff_factor": 0.5, "growth_interval": 7},
    ]
    for config in configs:
        found_infs = (rng.random(80) < 0.2).tolist()
        expected = rule_trajectory(found_infs, **config)
        scaler = solution.DynamicLossScaler(**config)
        for it, (found_inf, (scale, tracker)) in enumerate(zip(found_infs, expected, strict=True)):
            scaler.update(found_inf)
            check_state(
                scaler,
                scale,
                tracker,
                tolerances,
                where=f"{config}, update {it + 1} (found_inf={found_inf})",
            )


@pytest.mark.weight(1)
def test_growth_is_skipped_when_the_new_scale_would_overflow(solution, tolerances):
    """A grown scale that is infinite is not taken; the tracker is still reset."""
    for config, found_infs in [
        ({"init_scale": 2.0**1023, "growth_interval": 1}, [False, False, True, False, False]),
        ({"init_scale": 1.5e308, "growth_factor": 1.1, "growth_interval": 2}, [False] * 5),
    ]:
        scaler = solution.DynamicLossScaler(**config)
        expected = rule_trajectory(
            found_infs, **{"growth_factor": 2.0, "backoff_factor": 0.5, **config}
        )
        for it, (found_inf, (scale, tracker)) in enumerate(zip(found_infs, expected, strict=True)):
            scaler.update(found_inf)
            check_state(scaler, scale, tracker, tolerances, where=f"{config}, update {it + 1}")


@pytest.mark.weight(1)
def test_a_skipped_step_keeps_the_parameters(solution, tolerances):
    """On overflow the parameters come back unchanged (finite), the scale backs off."""
    scaler = solution.DynamicLossScaler(init_scale=2.0**16, growth_interval=2)
    params = [np.array([1.0, -2.0]), np.array([[0.5]])]
    scaled = [np.array([1e3, np.inf], dtype=np.float16), np.array([[np.nan]])]
    got, skipped = check_pair(scaler.step(params, scaled, 0.1), params, what="step")
    assert skipped is True, "an inf and a NaN in the gradients: the step must be skipped"
    for i, (g, p) in enumerate(zip(got, params, strict=True)):
        np.testing.assert_array_equal(g, p, err_msg=f"skipped step: new_params[{i}] changed")
    check_state(scaler, 2.0**15, 0, tolerances, where="after a skipped step")
    got, skipped = check_pair(
        scaler.step(got, [np.ones(2), np.ones((1, 1))], 0.0), params, what="step"
    )
    assert skipped is False, "finite gradients: the step must not be skipped"
    check_state(scaler, 2.0**15, 1, tolerances, where="after a clean step with lr=0")


@pytest.mark.weight(1)
def test_does_not_modify_params_or_gradients(solution):
    """unscale and step return new arrays; the ones passed in keep their values."""
    rng = np.random.default_rng(3)
    scaler = solution.DynamicLossScaler(init_scale=512.0)
    params = [rng.normal(size=(3, 2)), rng.normal(size=4)]
    for grads in (
        [rng.normal(size=(3, 2)), rng.normal(size=4)],
        [rng.normal(size=(3, 2)).astype(np.float32), np.array([1.0, np.inf, 0.0, 2.0])],
    ):
        result, args_after, _ = inspect_call(scaler.unscale, grads)
        check_pair(result, grads, what="unscale", finite=False)
        assert_unchanged(grads, args_after[0], what="grads")
        result, args_after, _ = inspect_call(scaler.step, params, grads, 0.1)
        check_pair(result, params, what="step")
        assert_unchanged(params, args_after[0], what="params")
        assert_unchanged(grads, args_after[1], what="scaled_grads")


@pytest.mark.weight(1)
def test_rejects_invalid_configurations_and_steps_with_value_error(solution):
    """ValueError for bad init_scale, factors, interval, lr and mismatched inputs."""
    for config in [
        {"init_scale": 0.0},
        {"init_scale": -1.0},
        {"init_scale": math.inf},
        {"growth_factor": 1.0},
        {"growth_factor": 0.5},
        {"backoff_factor": 1.0},
        {"backoff_factor": 0.0},
        {"growth_interval": 0},
        {"growth_interval": 2.5},
    ]:
        with pytest.raises(ValueError):
            solution.DynamicLossScaler(**config)
    scaler = solution.DynamicLossScaler()
    params = [np.ones(3), np.ones((2, 2))]
    for args in [
        (params, [np.ones(3), np.ones((2, 2))], -0.1),
        (params, [np.ones(3)], 0.1),
        (params, [np.ones(3), np.ones((2, 3))], 0.1),
    ]:
        with pytest.raises(ValueError):
            scaler.step(*args)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_unscale_on_a_million_float32_entries(solution, reference, speed, tolerances):
    """unscale against a vectorized reference: ~1M float32 entries in 6 arrays."""
    shapes = [(512, 512), (512,), (512, 512), (512, 512), (256, 512), (10,)]
    candidate = solution.DynamicLossScaler(init_scale=1024.0)
    trusted = reference.DynamicLossScaler(init_scale=1024.0)

    def make_case(rng):
        grads = [(FP16_MAX * rng.normal(size=s)).astype(np.float32) for s in shapes]
        if rng.random() < 0.5:
            grads[int(rng.integers(len(shapes)))].reshape(-1)[-1] = np.inf
        return speed.case(grads)

    def check(case, got, expected):
        grads = case.args[0]
        unscaled, found_inf = check_pair(got, grads, what="unscale", finite=False)
        expected_unscaled, expected_found = check_pair(
            expected, grads, what="unscale", finite=False
        )
        assert found_inf == expected_found, f"found_inf must be {expected_found}"
        for i, (u, e) in enumerate(zip(unscaled, expected_unscaled, strict=True)):
            assert_close(
                u, e, rtol=tolerances["rtol"], atol=tolerances["atol"], what=f"unscaled[{i}]"
            )

    speed.compare(candidate.unscale, trusted.unscale, make_case, check)
