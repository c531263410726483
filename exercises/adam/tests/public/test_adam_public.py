"""Public tests for adam: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

PARAMS = [np.array([1.0, -2.0]), np.array(0.5)]
GRADS = [np.array([0.1, 0.2]), np.array(-3.0)]


def test_first_adam_step_on_the_example_of_the_statement(solution):
    """Step 1: m_hat = g and v_hat = g^2, so each entry moves by about lr against its gradient."""
    new_params, state = solution.adam_step(PARAMS, GRADS, lr=0.1)
    assert isinstance(new_params, list), f"new_params must be a list, got {type(new_params)}"
    np.testing.assert_allclose(new_params[0], [0.90000001, -2.099999995], rtol=1e-9)
    np.testing.assert_allclose(new_params[1], 0.5999999996666667, rtol=1e-9)
    assert state["step"] == 1, f"state['step'] must be 1 after one step, got {state['step']}"
    np.testing.assert_allclose(state["exp_avg"][0], [0.01, 0.02], rtol=1e-9)
    np.testing.assert_allclose(state["exp_avg_sq"][1], 0.009, rtol=1e-9)


def test_adamw_shrinks_the_parameters_before_the_adam_update(solution):
    """AdamW: theta * (1 - lr * weight_decay), then the Adam update of the raw gradient."""
    new_params, _ = solution.adamw_step(PARAMS, GRADS, lr=0.1, weight_decay=0.5)
    np.testing.assert_allclose(new_params[0], [0.85000001, -1.999999995], rtol=1e-9)


def test_second_step_uses_the_returned_state(solution):
    """Two chained steps with a constant gradient: m_hat = g and v_hat = g^2 again."""
    params, state = solution.adam_step(PARAMS, GRADS, lr=0.1)
    params, state = solution.adam_step(params, GRADS, state, lr=0.1)
    assert state["step"] == 2, f"state['step'] must be 2 after two steps, got {state['step']}"
    np.testing.assert_allclose(params[0], [0.8, -2.2], rtol=1e-6)
    np.testing.assert_allclose(state["exp_avg"][0], [0.019, 0.038], rtol=1e-9)


def test_the_state_holds_one_moment_array_per_parameter(solution):
    """new_state = {"step": int, "exp_avg": [...], "exp_avg_sq": [...]}, shaped like params."""
    _, state = solution.adamw_step(PARAMS, GRADS)
    assert set(state) >= {"step", "exp_avg", "exp_avg_sq"}, f"state keys: {sorted(state)}"
    for key in ("exp_avg", "exp_avg_sq"):
        assert len(state[key]) == 2, f"state[{key!r}] must hold 2 arrays, got {len(state[key])}"
        for got, param in zip(state[key], PARAMS, strict=True):
            assert np.shape(got) == param.shape, (
                f"state[{key!r}]: shape {np.shape(got)}, expected {param.shape}"
            )


def test_rejects_a_negative_learning_rate(solution):
    """lr < 0 is a ValueError, as in torch.optim."""
    with pytest.raises(ValueError):
        solution.adam_step(PARAMS, GRADS, lr=-1.0)
