"""Hidden tests for lr-schedules: every step against torch.optim.lr_scheduler, shapes, errors."""

import numpy as np
import pytest
from lr_checks import check_against_torch

from graders.checks import assert_array, assert_unchanged
from graders.remote import inspect_call

BASES = [0.1, [0.1, 1.0, 3e-4], 2]


@pytest.mark.weight(1)
def test_returns_float64_arrays_of_shape_steps_or_steps_by_groups(solution):
    """A number gives (num_steps,), a 1-D array of g rates gives (num_steps, g), float64."""
    calls = {
        "step_lr": {"step_size": 2},
        "exponential_lr": {"gamma": 0.9},
        "warmup_cosine_lr": {"warmup_steps": 2, "total_steps": 5},
    }
    for name, kwargs in calls.items():
        fn = getattr(solution, name)
        for base, num_steps, shape in [
            (0.5, 6, (6,)),
            (1, 4, (4,)),
            ([0.5, 0.1], 6, (6, 2)),
            (np.array([0.3]), 3, (3, 1)),
            (0.5, 0, (0,)),
            ([0.5, 0.1, 0.2], 0, (0, 3)),
        ]:
            assert_array(
                fn(base, num_steps, **kwargs),
                what=f"{name}({base!r}, {num_steps})",
                shape=shape,
                dtype=np.float64,
            )


@pytest.mark.weight(2)
def test_step_lr_matches_torch_steplr(solution, tolerances):
    """step_lr equals StepLR at every step, for several step sizes, gammas and groups."""
    for base in BASES:
        for step_size, gamma, n in [
            (3, 0.5, 20),
            (1, 0.9, 50),
            (7, 0.1, 30),
            (10, 2.0, 25),
        ]:
            check_against_torch(
                solution, "step_lr", base, n, tolerances, step_size=step_size, gamma=gamma
            )
    check_against_torch(solution, "step_lr", 0.1, 30, tolerances, step_size=4)  # default gamma


@pytest.mark.weight(2)
def test_exponential_lr_matches_torch_exponentiallr(solution, tolerances):
    """exponential_lr equals ExponentialLR at every step."""
    for base in BASES:
        for gamma, num_steps in [(0.9, 40), (0.5, 12), (0.999, 300), (1.0, 5), (1.1, 20)]:
            check_against_torch(
                solution, "exponential_lr", base, num_steps, tolerances, gamma=gamma
            )


@pytest.mark.weight(3)
def test_warmup_cosine_matches_torch_sequential_linear_then_cosine(solution, tolerances):
    """warmup_cosine_lr equals SequentialLR(LinearLR, CosineAnnealingLR) up to total_steps."""
    configs = [
        {"warmup_steps": 5, "total_steps": 50, "start_factor": 0.1},
        {"warmup_steps": 10, "total_steps": 400, "eta_min": 1e-4},
        {"warmup_steps": 3, "total_steps": 4, "start_factor": 0.01, "eta_min": 0.001},
        {"warmup_steps": 1, "total_steps": 10, "start_factor": 0.5},
        {"warmup_steps": 7, "total_steps": 30, "start_factor": 1.0, "eta_min": 0.05},
    ]
    for base in BASES:
        for kwargs in configs:
            check_against_torch(
                solution, "warmup_cosine_lr", base, kwargs["total_steps"] + 1, tolerances, **kwargs
            )


@pytest.mark.weight(1)
def test_warmup_cosine_without_warmup_is_torch_cosine_annealing(solution, tolerances):
    """warmup_steps=0: CosineAnnealingLR alone, starting at base_lr."""
    for base in BASES:
        for total, eta_min in [(20, 0.0), (100, 0.01)]:
            check_against_torch(
                solution,
                "warmup_cosine_lr",
                base,
                total + 1,
                tolerances,
                warmup_steps=0,
                total_steps=total,
                eta_min=eta_min,
            )


@pytest.mark.weight(1)
def test_warmup_cosine_continues_like_torch_past_total_steps(solution, tolerances):
    """Past total_steps the cosine rises again, as CosineAnnealingLR does."""
    for base, kwargs, num_steps in [
        (0.1, {"warmup_steps": 5, "total_steps": 25}, 70),
        ([1.0, 0.2], {"warmup_steps": 2, "total_steps": 5, "eta_min": 0.01}, 30),
        (0.5, {"warmup_steps": 0, "total_steps": 8}, 40),
    ]:
        check_against_torch(solution, "warmup_cosine_lr", base, num_steps, tolerances, **kwargs)


@pytest.mark.weight(1)
def test_edge_cases_one_step_zero_rate_and_integer_rates(solution, tolerances):
    """num_steps = 1, base_lr = 0, integer base rates, step_size larger than num_steps."""
    check_against_torch(solution, "step_lr", [0.0, 3], 1, tolerances, step_size=5, gamma=0.5)
    check_against_torch(solution, "step_lr", 3, 8, tolerances, step_size=100, gamma=0.5)
    check_against_torch(solution, "exponential_lr", 0.0, 6, tolerances, gamma=0.5)
    check_against_torch(solution, "exponential_lr", [1, 2], 1, tolerances, gamma=0.5)
    check_against_torch(
        solution, "warmup_cosine_lr", [0.0, 1.0], 12, tolerances, warmup_steps=4, total_steps=10
    )
    check_against_torch(
        solution, "warmup_cosine_lr", 1, 1, tolerances, warmup_steps=4, total_steps=10
    )


@pytest.mark.weight(1)
def test_does_not_modify_the_base_rates(solution):
    """base_lr given as an array keeps its values."""
    base = np.array([0.1, 0.5, 1.0])
    calls = [
        ("step_lr", {"step_size": 2}),
        ("exponential_lr", {"gamma": 0.9}),
        ("warmup_cosine_lr", {"warmup_steps": 2, "total_steps": 6, "eta_min": 0.01}),
    ]
    for name, kwargs in calls:
        result, args_after, _ = inspect_call(getattr(solution, name), base, 10, **kwargs)
        assert_array(result, what=name, shape=(10, 3), dtype=np.float64)
        assert_unchanged(base, args_after[0], what=f"{name}: base_lr")


@pytest.mark.weight(1)
def test_rejects_invalid_arguments_with_value_error(solution):
    """ValueError for every invalid argument of the statement's list."""
    bad_calls = [
        ("step_lr", (0.1, -1), {"step_size": 2}),
        ("step_lr", (-0.1, 5), {"step_size": 2}),
        ("step_lr", ([0.1, -0.2], 5), {"step_size": 2}),
        ("step_lr", (np.ones((2, 2)), 5), {"step_size": 2}),
        ("step_lr", (0.1, 5), {"step_size": 0}),
        ("step_lr", (0.1, 5), {"step_size": 2, "gamma": 0.0}),
        ("exponential_lr", (0.1, 5), {"gamma": -0.5}),
        ("exponential_lr", (0.1, -3), {"gamma": 0.5}),
        ("warmup_cosine_lr", (0.1, 5), {"warmup_steps": -1, "total_steps": 5}),
        ("warmup_cosine_lr", (0.1, 5), {"warmup_steps": 5, "total_steps": 5}),
        ("warmup_cosine_lr", (0.1, 5), {"warmup_steps": 6, "total_steps": 5}),
        ("warmup_cosine_lr", (0.1, 5), {"warmup_steps": 2, "total_steps": 5, "start_factor": 0}),
        ("warmup_cosine_lr", (0.1, 5), {"warmup_steps": 2, "total_steps": 5, "start_factor": 1.5}),
        ("warmup_cosine_lr", (0.1, 5), {"warmup_steps": 2, "total_steps": 5, "eta_min": -0.1}),
    ]
    for name, args, kwargs in bad_calls:
        with pytest.raises(ValueError):
            getattr(solution, name)(*args, **kwargs)
