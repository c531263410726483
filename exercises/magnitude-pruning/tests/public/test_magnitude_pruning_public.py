"""Public tests for magnitude-pruning: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

WEIGHTS = {
    "fc1": np.array([[0.5, -0.1], [0.2, -0.05]]),
    "fc2": np.array([0.3, -3.0, 0.01, 1.0]),
}


def test_global_pruning_on_the_example_of_the_statement(solution):
    """Half of all 8 weights go, the smallest |w| first, wherever they are."""
    masks = solution.magnitude_masks(WEIGHTS, 0.5)
    assert isinstance(masks, dict), f"expected a dict, got {type(masks).__name__}"
    assert list(masks) == ["fc1", "fc2"], f"expected the keys of weights, got {list(masks)}"
    assert masks["fc1"].dtype == bool, f"masks must be bool arrays, got {masks['fc1'].dtype}"
    np.testing.assert_array_equal(masks["fc1"], [[True, False], [False, False]])
    np.testing.assert_array_equal(masks["fc2"], [True, True, False, True])


def test_layer_scope_prunes_each_layer_on_its_own(solution):
    """scope="layer": 2 of the 4 weights of each layer."""
    masks = solution.magnitude_masks(WEIGHTS, 0.5, scope="layer")
    np.testing.assert_array_equal(masks["fc1"], [[True, False], [True, False]])
    np.testing.assert_array_equal(masks["fc2"], [False, True, False, True])


def test_pruning_again_only_considers_the_kept_weights(solution):
    """With masks, round(0.5 * 4 kept) = 2 more go, and the pruned stay pruned."""
    first = solution.magnitude_masks(WEIGHTS, 0.5)
    second = solution.magnitude_masks(WEIGHTS, 0.5, masks=first)
    np.testing.assert_array_equal(second["fc1"], [[False, False], [False, False]])
    np.testing.assert_array_equal(second["fc2"], [False, True, False, True])


def test_count_rounds_half_to_even_and_ties_go_by_position(solution):
    """10 equal weights at 0.25: round(2.5) = 2, the first two positions."""
    masks = solution.magnitude_masks({"w": np.ones(10)}, 0.25)
    np.testing.assert_array_equal(masks["w"], [False, False] + [True] * 8)


def test_rejects_a_sparsity_outside_zero_one(solution):
    """sparsity must lie in [0, 1]."""
    with pytest.raises(ValueError):
        solution.magnitude_masks(WEIGHTS, 1.5)
