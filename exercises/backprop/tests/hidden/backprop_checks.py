"""Data, trusted computations and checks shared by the hidden backprop tests (checker only)."""

import itertools

import numpy as np
import torch


def random_net(rng, sizes, *, weight_scale=1.0, bias_scale=0.5):
    """params for layer sizes [d_in, h_1, ..., d_out]: W ~ N(0, scale^2 / fan_in), b ~ N(0, .)."""
    return [
        (
            rng.normal(scale=weight_scale / np.sqrt(fan_in), size=(fan_in, fan_out)),
            rng.normal(scale=bias_scale, size=fan_out),
        )
        for fan_in, fan_out in itertools.pairwise(sizes)
    ]


def random_problem(rng, n, sizes, **scales):
    """(params, X, y) for a batch of n samples through layer sizes `sizes`."""
    params = random_net(rng, sizes, **scales)
    X = rng.normal(size=(n, sizes[0]))
    y = rng.normal(size=(n, sizes[-1]))
    return params, X, y


def describe(n, sizes):
    return f"n={n}, layers {' -> '.join(map(str, sizes))}"


def torch_loss_and_gradients(params, X, y):
    """(Y_hat, loss, grads) of the contract, computed independently by PyTorch float64 autograd."""
    leaves = [
        (
            torch.tensor(W, dtype=torch.float64, requires_grad=True),
            torch.tensor(b, dtype=torch.float64, requires_grad=True),
        )
        for W, b in params
    ]
    a = torch.tensor(X, dtype=torch.float64)
    for index, (W, b) in enumerate(leaves):
        a = a @ W + b
        if index < len(leaves) - 1:
            a = torch.sigmoid(a)
    target = torch.tensor(y, dtype=torch.float64)
    loss = ((a - target) ** 2).sum() / (2 * target.shape[0])
    loss.backward()
    grads = [(W.grad.numpy(), b.grad.numpy()) for W, b in leaves]
    return a.detach().numpy(), float(loss), grads


def numpy_loss(params, X, y):
    """The contract's loss in plain float64 NumPy (for finite differences)."""
    a = X
    for index, (W, b) in enumerate(params):
        a = a @ W + b
        if index < len(params) - 1:
            a = 1.0 / (1.0 + np.exp(-a))
    return float(((a - y) ** 2).sum() / (2 * y.shape[0]))


def check_output(Y_hat, n, d_out):
    """Assert Y_hat is a float64 ndarray of shape (n, d_out) with finite values."""
    assert isinstance(Y_hat, np.ndarray), (
        f"forward must return a numpy array, got {type(Y_hat).__name__}"
    )
    assert Y_hat.shape == (n, d_out), f"forward must return shape {(n, d_out)}, got {Y_hat.shape}"
    assert Y_hat.dtype == np.float64, f"forward must return float64, got {Y_hat.dtype}"
    assert np.isfinite(Y_hat).all(), "forward returned NaN or inf"
    return Y_hat


def check_loss(loss):
    """Assert loss is a Python float (numpy float64 subclasses float) and finite."""
    assert isinstance(loss, float), (
        f"loss must be a Python float, got {type(loss).__name__}"
        + (f" of shape {loss.shape}" if hasattr(loss, "shape") else "")
        + " (use float(...))"
    )
    assert np.isfinite(loss), f"loss must be finite, got {loss}"
    return float(loss)


def check_grads(params, grads):
    """Assert grads is a list of (dW, db) float64 arrays with the shapes of params, in order."""
    assert isinstance(grads, list), f"grads must be a list, got {type(grads).__name__}"
    assert len(grads) == len(params), (
        f"grads must have one (dW, db) per layer: expected {len(params)}, got {len(grads)}"
    )
    for layer, (pair, (W, b)) in enumerate(zip(grads, params, strict=True)):
        assert isinstance(pair, (tuple, list)), (
            f"grads[{layer}] must be a pair (dW, db), got {type(pair).__name__}"
        )
        assert len(pair) == 2, f"grads[{layer}] must be a pair (dW, db), got {len(pair)} items"
        for name, got, param in (("dW", pair[0], W), ("db", pair[1], b)):
            assert isinstance(got, np.ndarray), (
                f"layer {layer}: {name} must be a numpy array, got {type(got).__name__}"
            )
            assert got.shape == param.shape, (
                f"layer {layer}: {name} must have shape {param.shape} like its parameter, "
                f"got {got.shape}"
            )
            assert got.dtype == np.float64, (
                f"layer {layer}: {name} must be float64, got {got.dtype}"
            )
            assert np.isfinite(got).all(), f"layer {layer}: {name} contains NaN or inf"
    return [(pair[0], pair[1]) for pair in grads]


def check_result(params, result):
    """Assert loss_and_gradients returned (loss, grads) of the contract; return them checked."""
    check_pair(result)
    return check_loss(result[0]), check_grads(params, result[1])


def check_pair(result):
    """Assert loss_and_gradients returned a tuple of two items."""
    assert isinstance(result, tuple), (
        f"loss_and_gradients must return a tuple (loss, grads), got {type(result).__name__}"
    )
    assert len(result) == 2, (
        f"loss_and_gradients must return a tuple (loss, grads), got {len(result)} items"
    )


def assert_grads_close(got, expected, *, rtol, atol, where):
    """Compare every dW and db; the message names the layer and the largest difference."""
    for layer, ((dW, db), (eW, eb)) in enumerate(zip(got, expected, strict=True)):
        for name, g, e in (("dW", dW, eW), ("db", db, eb)):
            if not np.allclose(g, e, rtol=rtol, atol=atol):
                worst = np.unravel_index(np.argmax(np.abs(g - e)), e.shape)
                raise AssertionError(
                    f"{where}: layer {layer} (of {len(expected)}): {name} differs; at index "
                    f"{tuple(int(i) for i in worst)} expected {e[worst]:.10g}, got {g[worst]:.10g}"
                    f" (max abs difference {np.abs(g - e).max():.3g})"
                )


def assert_close(got, expected, *, rtol, atol, what):
    if not np.allclose(got, expected, rtol=rtol, atol=atol):
        diff = np.abs(np.asarray(got) - np.asarray(expected))
        worst = np.unravel_index(np.argmax(diff), diff.shape) if diff.shape else ()
        expected_value, got_value = np.asarray(expected)[worst], np.asarray(got)[worst]
        raise AssertionError(
            f"{what}: expected {expected_value:.10g}, got {got_value:.10g}"
            + (f" at index {tuple(int(i) for i in worst)}" if worst else "")
            + f" (max abs difference {diff.max():.3g})"
        )
