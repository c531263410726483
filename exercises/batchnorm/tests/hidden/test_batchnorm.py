"""Hidden tests for batchnorm: forward (train/eval), running statistics, backward, vs torch."""

import numpy as np
import pytest
from batchnorm_checks import (
    BACKWARD_NAMES,
    FORWARD_NAMES,
    check_backward,
    check_forward,
    compare,
    random_case,
    torch_batchnorm,
)

from graders.checks import assert_unchanged
from graders.remote import inspect_call

SHAPES = [(16, 5), (2, 3), (7, 1), (8, 4, 6), (3, 2, 1), (1, 3, 5)]


def describe(shape, **options):
    extra = ", ".join(f"{k}={v}" for k, v in options.items())
    return f"x of shape {shape}" + (f", {extra}" if extra else "")


@pytest.mark.weight(3)
def test_training_forward_matches_torch_batchnorm1d(solution, tolerances):
    """Training mode: out and both running statistics match BatchNorm1d for 2-D and 3-D inputs."""
    rng = np.random.default_rng(1)
    for shape in SHAPES:
        case = random_case(rng, shape)
        got = check_forward(solution.batchnorm_forward(*case), shape)
        expected = torch_batchnorm(*case)[:3]
        compare(got, expected, FORWARD_NAMES, **_tol(tolerances), where=describe(shape))


@pytest.mark.weight(2)
def test_running_statistics_follow_momentum_and_the_unbiased_variance(solution, tolerances):
    """running' = (1 - momentum) * running + momentum * batch, the variance being unbiased."""
    rng = np.random.default_rng(2)
    for shape in [(10, 4), (2, 3), (5, 3, 4)]:
        for momentum in (0.0, 0.1, 0.5, 1.0):
            for eps in (1e-5, 1e-2):
                case = random_case(rng, shape)
                got = check_forward(
                    solution.batchnorm_forward(*case, momentum=momentum, eps=eps), shape
                )
                expected = torch_batchnorm(*case, momentum=momentum, eps=eps)[:3]
                compare(
                    got,
                    expected,
                    FORWARD_NAMES,
                    **_tol(tolerances),
                    where=describe(shape, momentum=momentum, eps=eps),
                )


@pytest.mark.weight(2)
def test_evaluation_mode_uses_the_running_statistics_and_returns_them_unchanged(
    solution, tolerances
):
    """training=False: normalize with running_mean/running_var (even for one sample)."""
    rng = np.random.default_rng(3)
    for shape in [*SHAPES, (1, 4), (1, 2, 1)]:
        case = random_case(rng, shape)
        got = check_forward(
            solution.batchnorm_forward(*case, training=False, momentum=0.3, eps=1e-3), shape
        )
        expected = torch_batchnorm(*case, training=False, momentum=0.3, eps=1e-3)[:3]
        compare(got, expected, FORWARD_NAMES, **_tol(tolerances), where=describe(shape))
        np.testing.assert_array_equal(got[1], case[3], err_msg="running_mean must not change")
        np.testing.assert_array_equal(got[2], case[4], err_msg="running_var must not change")


@pytest.mark.weight(4)
def test_backward_matches_torch_autograd(solution, tolerances):
    """dx, dgamma and dbeta match BatchNorm1d autograd, through the batch statistics."""
    rng = np.random.default_rng(4)
    for shape in SHAPES:
        for eps in (1e-5, 0.5):
            x, gamma, beta, running_mean, running_var = random_case(rng, shape)
            grad_out = rng.normal(size=shape)
            got = check_backward(solution.batchnorm_backward(grad_out, x, gamma, eps=eps), shape)
            expected = torch_batchnorm(
                x, gamma, beta, running_mean, running_var, eps=eps, grad_out=grad_out
            )[3]
            compare(
                got, expected, BACKWARD_NAMES, **_tol(tolerances), where=describe(shape, eps=eps)
            )


@pytest.mark.weight(1)
def test_a_large_common_offset_does_not_spoil_the_variance(solution, tolerances):
    """Values around 1e7 with a spread of about 1: no catastrophic cancellation."""
    rng = np.random.default_rng(5)
    for shape in [(64, 3), (16, 2, 8)]:
        case = random_case(rng, shape, scale=1.0, offset=1e7)
        tol = {"rtol": tolerances["rtol"], "atol": tolerances["offset_atol"]}
        got = check_forward(solution.batchnorm_forward(*case), shape)
        compare(got, torch_batchnorm(*case)[:3], FORWARD_NAMES, **tol, where="offset 1e7")
        grad_out = rng.normal(size=shape)
        got = check_backward(solution.batchnorm_backward(grad_out, case[0], case[1]), shape)
        expected = torch_batchnorm(*case, grad_out=grad_out)[3]
        compare(got, expected, BACKWARD_NAMES, **tol, where="offset 1e7")


@pytest.mark.weight(1)
def test_a_constant_channel_gives_beta_and_finite_gradients(solution, tolerances):
    """Zero batch variance: out is beta, nothing is NaN, eps keeps the division finite."""
    rng = np.random.default_rng(6)
    x, gamma, beta, running_mean, running_var = random_case(rng, (6, 3))
    x[:, 1] = 4.25
    got = check_forward(
        solution.batchnorm_forward(x, gamma, beta, running_mean, running_var), x.shape
    )
    compare(
        got,
        torch_batchnorm(x, gamma, beta, running_mean, running_var)[:3],
        FORWARD_NAMES,
        **_tol(tolerances),
        where="a constant channel",
    )
    np.testing.assert_allclose(got[0][:, 1], beta[1], rtol=0, atol=1e-12)
    grad_out = rng.normal(size=x.shape)
    got = check_backward(solution.batchnorm_backward(grad_out, x, gamma), x.shape)
    expected = torch_batchnorm(x, gamma, beta, running_mean, running_var, grad_out=grad_out)[3]
    compare(got, expected, BACKWARD_NAMES, **_tol(tolerances), where="a constant channel")


@pytest.mark.weight(1)
def test_lists_and_float32_inputs_give_float64_results(solution, tolerances):
    """Inputs are converted to float64; every result is float64."""
    rng = np.random.default_rng(7)
    x, gamma, beta, running_mean, running_var = random_case(rng, (9, 4))
    x32 = x.astype(np.float32)
    expected = torch_batchnorm(x32.astype(np.float64), gamma, beta, running_mean, running_var)[:3]
    for data, label in ((x32, "float32 x"), (x32.astype(np.float64).tolist(), "x as a list")):
        got = check_forward(
            solution.batchnorm_forward(data, gamma.tolist(), beta, running_mean, running_var),
            x.shape,
        )
        compare(got, expected, FORWARD_NAMES, **_tol(tolerances), where=label)


@pytest.mark.weight(1)
def test_rejects_bad_shapes_and_parameters_with_value_error(solution):
    """ValueError for bad dimensions, per-channel shapes, momentum, eps, and m < 2 in training."""
    rng = np.random.default_rng(8)
    x, gamma, beta, running_mean, running_var = random_case(rng, (5, 3))
    good = (gamma, beta, running_mean, running_var)
    bad_calls = {
        "x of shape (3,)": lambda: solution.batchnorm_forward(x[0], *good),
        "x of shape (5, 3, 1, 1)": lambda: solution.batchnorm_forward(x.reshape(5, 3, 1, 1), *good),
        "gamma of shape (4,)": lambda: solution.batchnorm_forward(
            x, np.ones(4), beta, running_mean, running_var
        ),
        "running_var of shape (3, 1)": lambda: solution.batchnorm_forward(
            x, gamma, beta, running_mean, np.ones((3, 1))
        ),
        "momentum=1.5": lambda: solution.batchnorm_forward(x, *good, momentum=1.5),
        "momentum=-0.1": lambda: solution.batchnorm_forward(x, *good, momentum=-0.1),
        "eps=0": lambda: solution.batchnorm_forward(x, *good, eps=0.0),
        "training with N=1": lambda: solution.batchnorm_forward(x[:1], *good),
        "training with N=L=1": lambda: solution.batchnorm_forward(x[:1, :, None], *good),
        "backward, grad_out of another shape": lambda: solution.batchnorm_backward(
            np.ones((5, 4)), x, gamma
        ),
        "backward, gamma of shape (2,)": lambda: solution.batchnorm_backward(
            np.ones((5, 3)), x, np.ones(2)
        ),
        "backward with N=1": lambda: solution.batchnorm_backward(np.ones((1, 3)), x[:1], gamma),
        "backward, 1-D x": lambda: solution.batchnorm_backward(np.ones(3), x[0], gamma),
    }
    for label, call in bad_calls.items():
        try:
            call()
        except ValueError:
            continue
        raise AssertionError(f"{label}: expected ValueError, but the call returned")


@pytest.mark.weight(1)
def test_does_not_modify_its_inputs(solution):
    """The running statistics come back as new arrays; no argument is changed in place."""
    rng = np.random.default_rng(9)
    for shape in [(12, 4), (4, 3, 5)]:
        case = random_case(rng, shape)
        for training in (True, False):
            _, args, _ = inspect_call(
                solution.batchnorm_forward, *[v.copy() for v in case], training=training
            )
            for name, before, after in zip(
                ("x", "gamma", "beta", "running_mean", "running_var"), case, args, strict=True
            ):
                assert_unchanged(before, after, what=f"{name} (training={training})")
        grad_out = rng.normal(size=shape)
        _, args, _ = inspect_call(
            solution.batchnorm_backward, grad_out.copy(), case[0].copy(), case[1].copy()
        )
        for name, before, after in zip(
            ("grad_out", "x", "gamma"), (grad_out, case[0], case[1]), args, strict=True
        ):
            assert_unchanged(before, after, what=f"{name} (backward)")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_the_backward_pass_on_32_by_64_by_128(solution, reference, speed, tolerances):
    """Speed of batchnorm_backward against a vectorized reference: x of shape (32, 64, 128)."""
    shape = (32, 64, 128)

    def make_case(rng):
        x = rng.standard_normal(shape) * 2.0 + 1.0
        grad_out = rng.standard_normal(shape)
        return speed.case(grad_out, x, rng.standard_normal(shape[1]))

    def check(case, got, expected):
        compare(
            check_backward(got, shape),
            expected,
            BACKWARD_NAMES,
            **_tol(tolerances),
            where="the speed test's batch",
        )

    speed.compare(solution.batchnorm_backward, reference.batchnorm_backward, make_case, check)


def _tol(tolerances):
    return {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}
