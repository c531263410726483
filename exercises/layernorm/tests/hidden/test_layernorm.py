"""Hidden tests for layernorm: forward and backward against torch, edge cases, speed."""

import numpy as np
import pytest
from layernorm_checks import (
    check_backward,
    check_out,
    compare_grads,
    random_case,
    torch_layernorm,
)

from graders.checks import assert_close, assert_unchanged
from graders.remote import inspect_call

# (shape of x, number of normalized trailing axes)
CASES = [
    ((5, 7), 1),
    ((1, 4), 1),
    ((3, 4, 6), 1),
    ((2, 5, 8), 1),
    ((3, 4, 6), 2),
    ((2, 3, 4, 5), 3),
    ((9,), 1),
    ((4, 1), 1),
]


def describe(shape, k, **options):
    extra = "".join(f", {name}={value}" for name, value in options.items())
    return f"x of shape {shape}, gamma of shape {shape[len(shape) - k :]}{extra}"


def _tol(tolerances):
    return {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}


@pytest.mark.weight(3)
def test_forward_matches_torch_layer_norm(solution, tolerances):
    """out matches torch.nn.functional.layer_norm over 1, 2 and 3 trailing axes."""
    rng = np.random.default_rng(1)
    for shape, k in CASES:
        for eps in (1e-5, 0.1):
            x, gamma, beta = random_case(rng, shape, k)
            got = check_out(solution.layernorm_forward(x, gamma, beta, eps=eps), shape)
            expected, _ = torch_layernorm(x, gamma, beta, eps=eps)
            assert_close(got, expected, **_tol(tolerances), what=describe(shape, k, eps=eps))


@pytest.mark.weight(2)
def test_every_sample_is_normalized_over_all_of_the_normalized_shape(solution, tolerances):
    """With gamma = 1, beta = 0 each sample has mean 0 and (biased) variance 1/(1 + eps/var)."""
    rng = np.random.default_rng(2)
    for shape, k in [((6, 4, 5), 2), ((3, 2, 3, 4), 3), ((10, 8), 1)]:
        x, _, _ = random_case(rng, shape, k)
        normalized = shape[len(shape) - k :]
        out = check_out(
            solution.layernorm_forward(x, np.ones(normalized), np.zeros(normalized), eps=1e-12),
            shape,
        )
        axes = tuple(range(len(shape) - k, len(shape)))
        assert_close(
            out.mean(axis=axes),
            np.zeros(shape[: len(shape) - k]),
            rtol=0,
            atol=1e-10,
            what=f"per-sample mean of the output, {describe(shape, k)}",
        )
        assert_close(
            out.var(axis=axes),
            np.ones(shape[: len(shape) - k]),
            rtol=1e-8,
            atol=0,
            what=f"per-sample variance of the output, {describe(shape, k)}",
        )


@pytest.mark.weight(4)
def test_backward_matches_torch_autograd(solution, tolerances):
    """dx, dgamma and dbeta match autograd through torch.nn.functional.layer_norm."""
    rng = np.random.default_rng(3)
    for shape, k in CASES:
        for eps in (1e-5, 0.5):
            x, gamma, beta = random_case(rng, shape, k)
            grad_out = rng.normal(size=shape)
            got = check_backward(
                solution.layernorm_backward(grad_out, x, gamma, eps=eps), shape, gamma.shape
            )
            _, expected = torch_layernorm(x, gamma, beta, eps=eps, grad_out=grad_out)
            compare_grads(got, expected, **_tol(tolerances), where=describe(shape, k, eps=eps))


@pytest.mark.weight(1)
def test_a_large_common_offset_does_not_spoil_the_variance(solution, tolerances):
    """Samples around 1e7 with a spread of about 1: no catastrophic cancellation."""
    rng = np.random.default_rng(4)
    tol = {"rtol": tolerances["rtol"], "atol": tolerances["offset_atol"]}
    for shape, k in [((8, 64), 1), ((4, 8, 16), 2)]:
        x, gamma, beta = random_case(rng, shape, k, scale=1.0, offset=1e7)
        grad_out = rng.normal(size=shape)
        expected_out, expected_grads = torch_layernorm(x, gamma, beta, grad_out=grad_out)
        got = check_out(solution.layernorm_forward(x, gamma, beta), shape)
        assert_close(got, expected_out, **tol, what=f"out, offset 1e7, {describe(shape, k)}")
        got = check_backward(solution.layernorm_backward(grad_out, x, gamma), shape, gamma.shape)
        compare_grads(got, expected_grads, **tol, where=f"offset 1e7, {describe(shape, k)}")


@pytest.mark.weight(1)
def test_constant_samples_give_beta_and_finite_gradients(solution, tolerances):
    """A sample whose values are all equal: out = beta, gradients finite and like torch's."""
    rng = np.random.default_rng(5)
    x, gamma, beta = random_case(rng, (4, 6), 1)
    x[1] = 3.5
    x[3] = -1e6
    got = check_out(solution.layernorm_forward(x, gamma, beta), x.shape)
    expected, _ = torch_layernorm(x, gamma, beta)
    assert_close(got, expected, **_tol(tolerances), what="out with constant samples")
    assert_close(got[1], beta, rtol=0, atol=1e-12, what="out of a constant sample (must be beta)")
    grad_out = rng.normal(size=x.shape)
    got = check_backward(solution.layernorm_backward(grad_out, x, gamma), x.shape, gamma.shape)
    _, grads = torch_layernorm(x, gamma, beta, grad_out=grad_out)
    compare_grads(got, grads, **_tol(tolerances), where="constant samples")


@pytest.mark.weight(1)
def test_no_samples_give_an_empty_output_and_zero_parameter_gradients(solution):
    """x of shape (0, d) or (2, 0, d): empty out and dx, dgamma and dbeta all zeros."""
    for shape in [(0, 5), (2, 0, 5)]:
        x = np.zeros(shape)
        gamma, beta = np.ones(5), np.zeros(5)
        check_out(solution.layernorm_forward(x, gamma, beta), shape)
        got = check_backward(solution.layernorm_backward(x, x, gamma), shape, (5,))
        np.testing.assert_array_equal(got[1], np.zeros(5), err_msg=f"dgamma for x of {shape}")
        np.testing.assert_array_equal(got[2], np.zeros(5), err_msg=f"dbeta for x of {shape}")


@pytest.mark.weight(1)
def test_lists_and_float32_inputs_give_float64_results(solution, tolerances):
    """Inputs are converted to float64; every result is float64."""
    rng = np.random.default_rng(6)
    x, gamma, beta = random_case(rng, (5, 6), 1)
    x32 = x.astype(np.float32)
    x64 = x32.astype(np.float64)
    expected, grads = torch_layernorm(x64, gamma, beta, grad_out=np.ones((5, 6)))
    for data, label in ((x32, "float32 x"), (x64.tolist(), "x as a list")):
        got = check_out(solution.layernorm_forward(data, gamma.tolist(), beta.tolist()), x.shape)
        assert_close(got, expected, **_tol(tolerances), what=f"out for {label}")
        got = check_backward(
            solution.layernorm_backward(np.ones((5, 6), dtype=np.float32), data, gamma),
            x.shape,
            gamma.shape,
        )
        compare_grads(got, grads, **_tol(tolerances), where=label)


@pytest.mark.weight(1)
def test_rejects_bad_shapes_and_eps_with_value_error(solution):
    """ValueError for a normalized shape that is not x's trailing shape, bad beta, grad_out, eps."""
    x = np.ones((4, 3, 5))
    g5, b5 = np.ones(5), np.zeros(5)
    bad_calls = {
        "gamma of shape (3,)": lambda: solution.layernorm_forward(x, np.ones(3), np.zeros(3)),
        "gamma of shape (5, 1)": lambda: solution.layernorm_forward(
            x, np.ones((5, 1)), np.zeros((5, 1))
        ),
        "a 0-d gamma": lambda: solution.layernorm_forward(x, np.float64(1.0), np.float64(0.0)),
        "gamma with more axes than x": lambda: solution.layernorm_forward(
            np.ones(5), np.ones((1, 5)), np.zeros((1, 5))
        ),
        "beta of shape (4,)": lambda: solution.layernorm_forward(x, g5, np.zeros(4)),
        "eps=0": lambda: solution.layernorm_forward(x, g5, b5, eps=0.0),
        "eps=-1e-5": lambda: solution.layernorm_forward(x, g5, b5, eps=-1e-5),
        "backward, grad_out of another shape": lambda: solution.layernorm_backward(
            np.ones((4, 5)), x, g5
        ),
        "backward, gamma of shape (3, 4)": lambda: solution.layernorm_backward(
            x, x, np.ones((3, 4))
        ),
        "backward, eps=0": lambda: solution.layernorm_backward(x, x, g5, eps=0.0),
    }
    for label, call in bad_calls.items():
        try:
            call()
        except ValueError:
            continue
        raise AssertionError(f"{label}: expected ValueError, but the call returned")


@pytest.mark.weight(1)
def test_does_not_modify_its_inputs(solution):
    """No argument is changed in place, forward or backward."""
    rng = np.random.default_rng(7)
    x, gamma, beta = random_case(rng, (6, 4, 5), 1)
    grad_out = rng.normal(size=x.shape)
    for fn, args, names in (
        (solution.layernorm_forward, (x, gamma, beta), ("x", "gamma", "beta")),
        (solution.layernorm_backward, (grad_out, x, gamma), ("grad_out", "x", "gamma")),
    ):
        _, after, _ = inspect_call(fn, *[a.copy() for a in args])
        for name, before, now in zip(names, args, after, strict=True):
            assert_unchanged(before, now, what=name)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_the_backward_pass_on_16_by_128_by_256(solution, reference, speed, tolerances):
    """Speed of layernorm_backward against a vectorized reference: x (16, 128, 256)."""
    shape = (16, 128, 256)

    def make_case(rng):
        x = rng.standard_normal(shape) * 2.0 + 1.0
        return speed.case(rng.standard_normal(shape), x, rng.standard_normal(shape[-1]))

    def check(case, got, expected):
        got = check_backward(got, shape, (shape[-1],))
        compare_grads(got, expected, **_tol(tolerances), where="the speed test's batch")

    speed.compare(solution.layernorm_backward, reference.layernorm_backward, make_case, check)
