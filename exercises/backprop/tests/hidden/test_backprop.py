"""Hidden tests for backprop: forward, loss, gradients (autograd and finite differences), speed."""

import numpy as np
import pytest
from backprop_checks import (
    assert_close,
    assert_grads_close,
    check_grads,
    check_loss,
    check_output,
    check_pair,
    check_result,
    describe,
    numpy_loss,
    random_net,
    random_problem,
    torch_loss_and_gradients,
)

# (n, layer sizes): depths 1, 2 and 4, single and multiple outputs, and a batch of one.
FORWARD_CASES = [
    (10, [4, 1]),
    (10, [4, 3]),
    (12, [5, 6, 1]),
    (9, [3, 7, 4]),
    (20, [6, 8, 5, 7, 2]),
    (15, [3, 4, 4, 4, 1]),
    (1, [2, 3, 5]),
]
GRADIENT_CASES = [
    (8, [3, 1]),
    (8, [3, 4]),
    (10, [4, 6, 1]),
    (7, [3, 5, 2]),
    (16, [5, 7, 6, 4, 3]),
    (12, [2, 6, 6, 6, 1]),
    (1, [3, 4, 2]),
    (64, [10, 32, 16, 5]),
]


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@pytest.mark.weight(2)
def test_forward_matches_pytorch_on_several_depths_and_shapes(solution, tolerances):
    """forward matches a PyTorch float64 computation for 1, 2 and 4 layers, 1 or more outputs."""
    rng = np.random.default_rng(100)
    for n, sizes in FORWARD_CASES:
        params, X, y = random_problem(rng, n, sizes)
        expected, _, _ = torch_loss_and_gradients(params, X, y)
        got = check_output(solution.forward(params, X), n, sizes[-1])
        assert_close(
            got,
            expected,
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            what=f"forward, {describe(n, sizes)}",
        )


@pytest.mark.weight(2)
def test_the_last_layer_is_linear_and_hidden_layers_are_sigmoid(solution, tolerances):
    """No activation after the last layer; a sigmoid after every hidden layer."""
    rng = np.random.default_rng(101)
    tol = {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}
    X = rng.normal(scale=2.0, size=(25, 3))

    # One layer: nothing but X @ W + b, with values far outside (0, 1).
    [(W, b)] = random_net(rng, [3, 2], weight_scale=5.0, bias_scale=3.0)
    got = check_output(solution.forward([(W, b)], X), 25, 2)
    assert_close(got, X @ W + b, **tol, what="a single (last) layer must be linear: X @ W + b")

    # Identity output layers expose the hidden activations themselves.
    W1, b1 = random_net(rng, [3, 4], weight_scale=3.0)[0]
    identity = (np.eye(4), np.zeros(4))
    hidden = _sigmoid(X @ W1 + b1)
    got = check_output(solution.forward([(W1, b1), identity], X), 25, 4)
    assert_close(
        got,
        hidden,
        **tol,
        what="2 layers with an identity last layer must give sigmoid(X @ W1 + b1)",
    )
    got = check_output(solution.forward([(W1, b1), identity, identity], X), 25, 4)
    assert_close(
        got,
        _sigmoid(hidden),
        **tol,
        what="3 layers with identity layers 2 and 3 must give sigmoid(sigmoid(X @ W1 + b1))",
    )


@pytest.mark.weight(2)
def test_loss_matches_the_mean_squared_error_of_the_statement(solution, tolerances):
    """loss = (1/(2n)) * sum of squared errors over samples and outputs, as PyTorch computes it."""
    rng = np.random.default_rng(102)
    for n, sizes in FORWARD_CASES:
        params, X, y = random_problem(rng, n, sizes)
        _, expected, _ = torch_loss_and_gradients(params, X, y)
        loss, _ = check_result(params, solution.loss_and_gradients(params, X, y))
        assert_close(
            loss,
            expected,
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            what=f"loss, {describe(n, sizes)}",
        )


@pytest.mark.weight(1)
def test_loss_is_a_python_float(solution):
    """The loss is a float (a numpy float64 scalar is fine), not an array."""
    rng = np.random.default_rng(103)
    for n, sizes in [(6, [3, 1]), (6, [3, 4, 2])]:
        params, X, y = random_problem(rng, n, sizes)
        result = solution.loss_and_gradients(params, X, y)
        check_pair(result)
        check_loss(result[0])


@pytest.mark.weight(4)
def test_gradients_match_pytorch_autograd(solution, tolerances):
    """Every dW and db matches PyTorch autograd (float64) for 1, 2 and 4 layers."""
    rng = np.random.default_rng(104)
    for n, sizes in GRADIENT_CASES:
        params, X, y = random_problem(rng, n, sizes)
        _, _, expected = torch_loss_and_gradients(params, X, y)
        _, grads = check_result(params, solution.loss_and_gradients(params, X, y))
        assert_grads_close(
            grads,
            expected,
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            where=describe(n, sizes),
        )


@pytest.mark.weight(2)
def test_gradients_match_central_finite_differences(solution, tolerances):
    """Every gradient entry of a small 3-layer net matches a central finite difference."""
    rng = np.random.default_rng(105)
    n, sizes = 6, [3, 4, 3, 2]
    params, X, y = random_problem(rng, n, sizes)
    _, grads = check_result(params, solution.loss_and_gradients(params, X, y))
    step = 1e-5
    numeric = []
    for layer in range(len(params)):
        pair = []
        for slot in (0, 1):
            estimate = np.zeros_like(params[layer][slot])
            for index in np.ndindex(estimate.shape):
                values = []
                for sign in (1.0, -1.0):
                    shifted = [[W.copy(), b.copy()] for W, b in params]
                    shifted[layer][slot][index] += sign * step
                    values.append(numpy_loss(shifted, X, y))
                estimate[index] = (values[0] - values[1]) / (2 * step)
            pair.append(estimate)
        numeric.append(tuple(pair))
    assert_grads_close(
        grads,
        numeric,
        rtol=tolerances["fd_rtol"],
        atol=tolerances["fd_atol"],
        where=f"against finite differences, {describe(n, sizes)}",
    )


@pytest.mark.weight(1)
def test_grads_is_a_list_of_pairs_in_layer_order_with_the_shapes_of_params(solution):
    """grads is a list with one (dW, db) per layer, first layer first, shaped like (W, b)."""
    rng = np.random.default_rng(106)
    for n, sizes in [(5, [3, 5, 4, 2]), (4, [6, 2]), (3, [2, 7, 1])]:
        params, X, y = random_problem(rng, n, sizes)
        result = solution.loss_and_gradients(params, X, y)
        check_pair(result)
        check_grads(params, result[1])


@pytest.mark.weight(1)
def test_the_same_inputs_give_the_same_outputs(solution):
    """Two calls with the same inputs return identical outputs, loss and gradients."""
    rng = np.random.default_rng(107)
    params, X, y = random_problem(rng, 30, [4, 8, 8, 3])
    first = check_output(solution.forward(params, X), 30, 3)
    second = check_output(solution.forward(params, X), 30, 3)
    np.testing.assert_array_equal(first, second, err_msg="forward changed between two calls")
    loss_a, grads_a = check_result(params, solution.loss_and_gradients(params, X, y))
    loss_b, grads_b = check_result(params, solution.loss_and_gradients(params, X, y))
    assert loss_a == loss_b, f"loss changed between two calls: {loss_a!r} then {loss_b!r}"
    for layer, ((dW_a, db_a), (dW_b, db_b)) in enumerate(zip(grads_a, grads_b, strict=True)):
        np.testing.assert_array_equal(dW_a, dW_b, err_msg=f"layer {layer}: dW changed")
        np.testing.assert_array_equal(db_a, db_b, err_msg=f"layer {layer}: db changed")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_a_batch_of_2048_through_64_256_256_10(solution, reference, speed, tolerances):
    """Speed of loss_and_gradients against a vectorized reference: n=2048, 64-256-256-10."""
    sizes = [64, 256, 256, 10]

    def make_case(rng):
        params, X, y = random_problem(rng, 2048, sizes)
        return speed.case(params, X, y)

    def check(case, got, expected):
        params = case.args[0]
        loss, grads = check_result(params, got)
        assert_close(
            loss,
            expected[0],
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            what="loss on the speed test's batch",
        )
        assert_grads_close(
            grads,
            expected[1],
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            where="speed test's batch",
        )

    speed.compare(solution.loss_and_gradients, reference.loss_and_gradients, make_case, check)
