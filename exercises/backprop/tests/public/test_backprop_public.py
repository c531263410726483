"""Public tests for backprop: run them with "Run". The hidden suite checks much more."""

import itertools

import numpy as np

# The example of the statement: 2 -> 2 (sigmoid) -> 1 (linear).
PARAMS = [
    (np.array([[1.0, -1.0], [0.5, 2.0]]), np.array([0.0, 0.5])),
    (np.array([[2.0], [-1.0]]), np.array([0.1])),
]
X = np.array([[1.0, 0.0], [0.0, 1.0]])
Y = np.array([[1.0], [0.0]])


def test_a_single_layer_is_linear(solution):
    """One layer: forward is X @ W + b, no sigmoid on the output layer."""
    W = np.array([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0]])
    b = np.array([0.5, -0.5, 1.0])
    Xs = np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0], [0.0, 0.0]])
    got = solution.forward([(W, b)], Xs)
    assert isinstance(got, np.ndarray), f"expected a numpy array, got {type(got).__name__}"
    assert got.shape == (4, 3), f"expected shape (4, 3), got {got.shape}"
    np.testing.assert_allclose(got, Xs @ W + b, rtol=1e-6, err_msg="expected X @ W + b")


def test_forward_on_the_example_of_the_statement(solution):
    """The statement's 2-layer example: sigmoid hidden layer, linear output."""
    got = solution.forward(PARAMS, X)
    assert got.shape == (2, 1), f"expected shape (2, 1) (n, d_out), got {got.shape}"
    np.testing.assert_allclose(got, [[1.18457649], [0.42077684]], rtol=1e-6)


def test_loss_on_the_example_is_a_float(solution):
    """The statement's example: loss = (1/(2n)) * sum of squared errors, as a float."""
    loss, _ = solution.loss_and_gradients(PARAMS, X, Y)
    assert isinstance(loss, float), f"the loss must be a float, got {type(loss).__name__}"
    np.testing.assert_allclose(loss, 0.05278041, rtol=1e-6)


def test_grads_follow_the_order_and_shapes_of_params(solution):
    """grads is a list of (dW, db), first layer first, with the shapes of (W, b)."""
    rng = np.random.default_rng(0)
    sizes = [3, 5, 4, 2]
    params = [(rng.normal(size=(a, b)), rng.normal(size=b)) for a, b in itertools.pairwise(sizes)]
    _, grads = solution.loss_and_gradients(params, rng.normal(size=(6, 3)), rng.normal(size=(6, 2)))
    assert isinstance(grads, list), f"grads must be a list, got {type(grads).__name__}"
    assert len(grads) == 3, f"expected one (dW, db) per layer (3), got {len(grads)}"
    for layer, ((dW, db), (W, b)) in enumerate(zip(grads, params, strict=True)):
        assert dW.shape == W.shape, f"layer {layer}: dW shape {dW.shape}, expected {W.shape}"
        assert db.shape == b.shape, f"layer {layer}: db shape {db.shape}, expected {b.shape}"


def test_gradients_of_a_linear_model(solution):
    """One layer: dW = X.T @ (Y_hat - y) / n and db = mean of (Y_hat - y) over samples."""
    rng = np.random.default_rng(1)
    W, b = rng.normal(size=(4, 2)), rng.normal(size=2)
    Xs, ys = rng.normal(size=(10, 4)), rng.normal(size=(10, 2))
    _, [(dW, db)] = solution.loss_and_gradients([(W, b)], Xs, ys)
    residual = Xs @ W + b - ys
    np.testing.assert_allclose(dW, Xs.T @ residual / 10, rtol=1e-6, err_msg="dW")
    np.testing.assert_allclose(db, residual.mean(axis=0), rtol=1e-6, err_msg="db")
