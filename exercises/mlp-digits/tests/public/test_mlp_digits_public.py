"""Public tests for mlp-digits: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest
from sklearn.datasets import load_digits


def test_a_single_layer_is_softmax_regression(solution):
    """One layer: probabilities are softmax(X @ W + b), rows sum to one."""
    W = np.array([[1.0, -1.0, 0.0], [0.5, 0.5, 2.0]])
    b = np.array([0.0, 0.1, -0.2])
    X = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    got = solution.predict_proba([(W, b)], X)
    assert isinstance(got, np.ndarray), f"expected a numpy array, got {type(got).__name__}"
    assert got.shape == (3, 3), f"expected shape (3, 3), got {got.shape}"
    z = X @ W + b
    expected = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(got, expected, rtol=1e-7)


def test_hidden_layers_use_relu(solution):
    """Two layers with an identity output: the softmax of ReLU(X @ W1 + b1)."""
    W1 = np.array([[1.0, -2.0], [-1.0, 1.0]])
    b1 = np.array([0.0, 0.5])
    X = np.array([[2.0, 1.0], [0.0, 3.0]])
    got = solution.predict_proba([(W1, b1), (np.eye(2), np.zeros(2))], X)
    h = np.maximum(X @ W1 + b1, 0.0)
    expected = np.exp(h) / np.exp(h).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(got, expected, rtol=1e-7)


def test_predict_proba_does_not_overflow(solution):
    """Logits of 1000 and more: finite probabilities."""
    W = np.array([[1000.0, 0.0, -1000.0]])
    got = solution.predict_proba([(W, np.zeros(3))], np.array([[1.0], [2.0]]))
    assert np.isfinite(got).all(), f"probabilities must be finite, got {got}"
    np.testing.assert_allclose(got, [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]], atol=1e-12)


def test_train_learns_the_digits(solution):
    """Train on 1,300 digits, test on the rest: accuracy >= 0.93."""
    X, y = load_digits(return_X_y=True)
    X = X / 16.0
    params = solution.train(X[:1300], y[:1300], seed=0)
    assert len(params) >= 2, "train must return at least one hidden layer and an output layer"
    predicted = solution.predict(params, X[1300:])
    accuracy = float((predicted == y[1300:]).mean())
    assert accuracy >= 0.93, f"held-out accuracy {accuracy:.3f} is below 0.93"


def test_train_rejects_labels_out_of_range(solution):
    """Labels must be in [0, n_classes)."""
    with pytest.raises(ValueError):
        solution.train(np.zeros((4, 2)), np.array([0, 1, 2, 3]), n_classes=3)
