"""Hidden tests for adam: Adam / AdamW against torch.optim, state, edge cases, errors, speed."""

import numpy as np
import pytest
from adam_checks import (
    assert_params_close,
    assert_state_close,
    check_result,
    random_grads,
    random_params,
    run_and_compare,
    torch_trajectory,
)

from graders.checks import assert_unchanged
from graders.remote import inspect_call


@pytest.mark.weight(1)
def test_returns_new_params_and_a_state_in_the_contracted_format(solution):
    """(new_params, {"step", "exp_avg", "exp_avg_sq"}) with arrays shaped like the parameters."""
    rng = np.random.default_rng(0)
    params = random_params(rng)
    grads = random_grads(rng, params, 1)[0]
    for fn in (solution.adam_step, solution.adamw_step):
        _, state = check_result(fn(params, grads), params)
        assert state["step"] == 1, f"after the first step, state['step'] must be 1, got {state}"
        _, state = check_result(fn(params, grads, state), params)
        assert state["step"] == 2, f"after two steps, state['step'] must be 2, got {state}"


@pytest.mark.weight(3)
def test_adam_matches_torch_optim_adam_over_ten_steps(solution, tolerances):
    """Chained adam_step calls follow torch.optim.Adam, for several betas, lr and eps."""
    configs = [
        {},
        {"lr": 0.01, "betas": (0.8, 0.99)},
        {"lr": 0.05, "betas": (0.5, 0.9), "eps": 1e-6},
        {"lr": 0.2, "betas": (0.0, 0.0)},
    ]
    for seed, hyper in enumerate(configs):
        rng = np.random.default_rng(10 + seed)
        params = random_params(rng)
        grads = random_grads(rng, params, 10)
        run_and_compare(
            solution.adam_step, "adam", params, grads, tolerances, label=f"Adam {hyper}", **hyper
        )


@pytest.mark.weight(2)
def test_adam_weight_decay_is_an_l2_term_added_to_the_gradient(solution, tolerances):
    """adam_step with weight_decay follows torch.optim.Adam(weight_decay=...)."""
    for seed, hyper in enumerate(
        [{"weight_decay": 0.1, "lr": 0.01}, {"weight_decay": 2.0, "lr": 0.1, "betas": (0.7, 0.95)}]
    ):
        rng = np.random.default_rng(20 + seed)
        params = [5.0 * p for p in random_params(rng)]
        grads = random_grads(rng, params, 8, scale=0.1)
        run_and_compare(
            solution.adam_step, "adam", params, grads, tolerances, label=f"Adam {hyper}", **hyper
        )


@pytest.mark.weight(3)
def test_adamw_matches_torch_optim_adamw_with_decoupled_weight_decay(solution, tolerances):
    """Chained adamw_step calls follow torch.optim.AdamW (default and larger weight decay)."""
    configs = [
        {},
        {"lr": 0.05, "weight_decay": 0.1},
        {"lr": 0.1, "weight_decay": 1.5, "betas": (0.6, 0.9), "eps": 1e-4},
        {"lr": 0.01, "weight_decay": 0.0},
    ]
    for seed, hyper in enumerate(configs):
        rng = np.random.default_rng(30 + seed)
        params = [3.0 * p for p in random_params(rng)]
        grads = random_grads(rng, params, 10)
        run_and_compare(
            solution.adamw_step, "adamw", params, grads, tolerances, label=f"AdamW {hyper}", **hyper
        )


@pytest.mark.weight(1)
def test_eps_is_added_after_the_square_root_of_the_bias_corrected_second_moment(
    solution, tolerances
):
    """Gradients as small as eps: where eps goes matters, and torch adds it to sqrt(v_hat)."""
    for seed, (kind, eps) in enumerate([("adam", 1e-3), ("adamw", 1e-3), ("adam", 0.1)]):
        rng = np.random.default_rng(40 + seed)
        params = random_params(rng)
        grads = [[1e-3 * rng.normal(size=np.shape(p)) for p in params] for _ in range(6)]
        fn = solution.adam_step if kind == "adam" else solution.adamw_step
        run_and_compare(
            fn, kind, params, grads, tolerances, label=f"{kind}, eps={eps}", lr=0.01, eps=eps
        )


@pytest.mark.weight(2)
def test_resumes_from_a_given_state_with_its_step_count(solution, tolerances):
    """A state taken from torch after 7 steps: the next step uses t = 8 in the bias corrections."""
    for seed, (kind, hyper) in enumerate(
        [("adam", {"lr": 0.02, "weight_decay": 0.05}), ("adamw", {"lr": 0.05, "weight_decay": 0.2})]
    ):
        rng = np.random.default_rng(50 + seed)
        params = random_params(rng)
        grads = random_grads(rng, params, 9)
        history = torch_trajectory(kind, params, grads[:7], **hyper)
        params7, state7 = history[-1]
        fn = solution.adam_step if kind == "adam" else solution.adamw_step
        run_and_compare(
            fn,
            kind,
            params7,
            grads[7:],
            tolerances,
            state=state7,
            label=f"{kind} from step 7",
            **hyper,
        )


@pytest.mark.weight(1)
def test_does_not_modify_params_grads_or_state(solution):
    """The arrays passed in are left as they were: the step returns new ones."""
    rng = np.random.default_rng(60)
    params = random_params(rng)
    grads = random_grads(rng, params, 1)[0]
    state = {
        "step": 3,
        "exp_avg": [0.1 * rng.normal(size=np.shape(p)) for p in params],
        "exp_avg_sq": [rng.uniform(0.0, 0.1, size=np.shape(p)) for p in params],
    }
    for fn, wd in ((solution.adam_step, 0.1), (solution.adamw_step, 0.1)):
        for given in (None, state):
            args = (params, grads, given)
            result, args_after, _ = inspect_call(fn, *args, lr=0.1, weight_decay=wd)
            check_result(result, params)
            names = ("params", "grads", "state")
            for name, before, after in zip(names, args, args_after, strict=True):
                assert_unchanged(before, after, what=name)


@pytest.mark.weight(1)
def test_edge_cases_empty_lists_empty_arrays_zero_and_extreme_gradients(solution, tolerances):
    """No parameters, parameters without entries, zero gradients, lr = 0, 1e100 and 1e-100."""
    new_params, state = check_result(solution.adam_step([], []), [])
    assert new_params == [] and state["step"] == 1, f"no parameters: got {new_params}, {state}"

    rng = np.random.default_rng(70)
    params = [np.zeros((0,)), np.zeros((2, 0)), rng.normal(size=3)]
    grads = [np.zeros((0,)), np.zeros((2, 0)), np.zeros(3)]
    for fn in (solution.adam_step, solution.adamw_step):
        got, _ = check_result(fn(params, grads, weight_decay=0.0), params)
        assert_params_close(got, params, tolerances, where="zero gradients, no weight decay")
        got, _ = check_result(fn(params, random_grads(rng, params, 1)[0], lr=0.0), params)
        assert_params_close(got, params, tolerances, where="lr = 0")

    params = random_params(rng)
    for kind, scale in (("adam", 1e100), ("adamw", 1e100), ("adam", 1e-100)):
        grads = random_grads(rng, params, 3, scale=scale)
        fn = solution.adam_step if kind == "adam" else solution.adamw_step
        run_and_compare(
            fn, kind, params, grads, tolerances, label=f"{kind}, gradients ~{scale:g}", lr=0.1
        )


@pytest.mark.weight(1)
def test_rejects_bad_hyperparameters_and_mismatched_inputs_with_value_error(solution):
    """ValueError for negative lr/eps/weight_decay, betas outside [0, 1), mismatched inputs."""
    params = [np.ones(3), np.ones((2, 2))]
    grads = [np.ones(3), np.ones((2, 2))]
    state = {"step": 1, "exp_avg": [np.zeros(3), np.zeros((2, 2))], "exp_avg_sq": [np.zeros(3)]}
    bad_calls = [
        ("lr=-0.1", (params, grads), {"lr": -0.1}),
        ("eps=-1e-8", (params, grads), {"eps": -1e-8}),
        ("weight_decay=-0.01", (params, grads), {"weight_decay": -0.01}),
        ("betas=(1.0, 0.999)", (params, grads), {"betas": (1.0, 0.999)}),
        ("betas=(0.9, 1.0)", (params, grads), {"betas": (0.9, 1.0)}),
        ("betas=(-0.1, 0.999)", (params, grads), {"betas": (-0.1, 0.999)}),
        ("one gradient too few", (params, grads[:1]), {}),
        ("a gradient of the wrong shape", (params, [np.ones(3), np.ones((2, 3))]), {}),
        ("a state with one exp_avg_sq too few", (params, grads, state), {}),
    ]
    for fn in (solution.adam_step, solution.adamw_step):
        for _what, args, kwargs in bad_calls:
            with pytest.raises(ValueError):
                fn(*args, **kwargs)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_a_quarter_million_entries(solution, reference, speed, tolerances):
    """Speed of adamw_step against a vectorized reference: ~230k parameter entries."""
    shapes = [(256, 512), (512,), (256, 256), (128, 256), (10,)]

    def make_case(rng):
        params = [rng.normal(size=s) for s in shapes]
        grads = [rng.normal(size=s) for s in shapes]
        state = {
            "step": int(rng.integers(1, 100)),
            "exp_avg": [0.1 * rng.normal(size=s) for s in shapes],
            "exp_avg_sq": [rng.uniform(0.0, 0.1, size=s) for s in shapes],
        }
        return speed.case(params, grads, state, lr=1e-3, weight_decay=0.05)

    def check(case, got, expected):
        params = case.args[0]
        got_params, got_state = check_result(got, params)
        exp_params, exp_state = check_result(expected, params)
        assert_params_close(got_params, exp_params, tolerances, where="speed test")
        assert_state_close(got_state, exp_state, tolerances, where="speed test")

    speed.compare(solution.adamw_step, reference.adamw_step, make_case, check)
