"""Public tests for loss-scaling: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest


def test_scale_loss_multiplies_by_the_initial_scale(solution):
    """scale_loss(0.25) with init_scale=8 is 2.0."""
    scaler = solution.DynamicLossScaler(init_scale=8.0, growth_interval=2)
    assert scaler.get_scale() == 8.0, f"get_scale() must start at 8.0, got {scaler.get_scale()}"
    assert scaler.get_growth_tracker() == 0, "the growth tracker must start at 0"
    assert scaler.scale_loss(0.25) == 2.0, f"expected 2.0, got {scaler.scale_loss(0.25)}"


def test_unscale_returns_float64_gradients_divided_by_the_scale(solution):
    """float16 in, float64 out, divided by the scale; no overflow here."""
    scaler = solution.DynamicLossScaler(init_scale=8.0)
    unscaled, found_inf = scaler.unscale([np.array([8.0, -4.0], dtype=np.float16)])
    assert found_inf is False, f"found_inf must be False, got {found_inf!r}"
    assert unscaled[0].dtype == np.float64, f"expected float64, got {unscaled[0].dtype}"
    np.testing.assert_array_equal(unscaled[0], [1.0, -0.5])


def test_the_example_of_the_statement(solution):
    """An overflow skips the step and halves the scale; two clean steps double it again."""
    scaler = solution.DynamicLossScaler(init_scale=8.0, growth_interval=2)
    params, skipped = scaler.step([np.array([1.0, 1.0])], [np.array([8.0, np.inf])], lr=0.1)
    assert skipped is True, "an inf gradient must skip the step"
    np.testing.assert_array_equal(params[0], [1.0, 1.0])
    assert (scaler.get_scale(), scaler.get_growth_tracker()) == (4.0, 0)
    params, skipped = scaler.step(params, [np.array([4.0, -4.0])], lr=0.1)
    assert (scaler.get_scale(), scaler.get_growth_tracker()) == (4.0, 1)
    params, skipped = scaler.step(params, [np.array([4.0, -4.0])], lr=0.1)
    assert skipped is False, "finite gradients must not skip the step"
    np.testing.assert_allclose(params[0], [0.8, 1.2], rtol=1e-12)
    assert (scaler.get_scale(), scaler.get_growth_tracker()) == (8.0, 0)


def test_nan_gradients_count_as_an_overflow(solution):
    """A NaN entry sets found_inf too."""
    scaler = solution.DynamicLossScaler()
    _, found_inf = scaler.unscale([np.ones(3), np.array([1.0, np.nan])])
    assert found_inf is True, "a NaN gradient must set found_inf"


def test_rejects_a_growth_factor_not_above_one(solution):
    """growth_factor must be > 1."""
    with pytest.raises(ValueError):
        solution.DynamicLossScaler(growth_factor=1.0)
