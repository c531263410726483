"""Public tests for fedavg: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest


def test_the_example_of_the_statement(solution):
    """Dict models, weights 0.75 and 0.25, keys in any order."""
    a = {"w": np.array([[1.0, 2.0]]), "b": np.array(0.0)}
    b = {"b": np.array(4.0), "w": np.array([[3.0, 6.0]])}
    got = solution.fedavg([a, b], [300, 100])
    assert isinstance(got, dict), f"dict models give a dict, got {type(got).__name__}"
    assert set(got) == {"w", "b"}, f"expected the keys w and b, got {sorted(got)}"
    np.testing.assert_allclose(got["w"], [[1.5, 3.0]])
    np.testing.assert_allclose(got["b"], 1.0)


def test_list_models_give_a_list(solution):
    """List models, equal sizes: the plain mean, as a list of float64 arrays."""
    got = solution.fedavg(
        [[np.array([1, 2]), np.array(3)], [np.array([3, 4]), np.array(4)]], [5, 5]
    )
    assert isinstance(got, list), f"list models give a list, got {type(got).__name__}"
    np.testing.assert_allclose(got[0], [2.0, 3.0])
    np.testing.assert_allclose(got[1], 3.5)
    assert np.asarray(got[0]).dtype == np.float64, "results must be float64"


def test_a_client_without_samples_is_ignored(solution):
    """Size 0: its (NaN) parameters do not matter."""
    got = solution.fedavg([[np.ones(2)], [np.full(2, np.nan)]], [3, 0])
    np.testing.assert_allclose(got[0], [1.0, 1.0])


def test_server_update_with_a_server_learning_rate(solution):
    """global + lr * (average - global)."""
    got = solution.server_update(
        [np.zeros(2)], [[np.ones(2)], [np.full(2, 3.0)]], [1, 1], server_lr=0.5
    )
    np.testing.assert_allclose(got[0], [1.0, 1.0])


def test_rejects_mismatched_sizes(solution):
    """One size per client."""
    with pytest.raises(ValueError):
        solution.fedavg([[np.ones(2)], [np.ones(2)]], [1])
