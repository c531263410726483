"""Hidden tests for magnitude-pruning: masks against torch.nn.utils.prune, counts, ties, speed."""

import copy

import numpy as np
import pytest
from pruning_checks import (
    assert_masks_equal,
    check_masks,
    random_layers,
    stable_sort_masks,
    torch_masks,
)

from graders.checks import assert_unchanged
from graders.remote import inspect_call

SPARSITIES = (0.0, 0.1, 0.37, 0.5, 0.9, 0.999, 1.0)


@pytest.mark.weight(3)
def test_global_masks_match_torch_global_unstructured(solution):
    """scope="global": the masks of prune.global_unstructured with L1Unstructured."""
    rng = np.random.default_rng(30)
    for count in (1, 2, 4):
        weights = random_layers(rng, count)
        for sparsity in SPARSITIES:
            [expected] = torch_masks(weights, [sparsity], "global")
            got = check_masks(solution.magnitude_masks(weights, sparsity), weights)
            assert_masks_equal(got, expected, f"{count} layers, sparsity={sparsity}")


@pytest.mark.weight(2)
def test_layer_masks_match_torch_l1_unstructured(solution):
    """scope="layer": each layer as prune.l1_unstructured prunes it."""
    rng = np.random.default_rng(31)
    weights = random_layers(rng, 4)
    for sparsity in SPARSITIES:
        [expected] = torch_masks(weights, [sparsity], "layer")
        got = check_masks(solution.magnitude_masks(weights, sparsity, scope="layer"), weights)
        assert_masks_equal(got, expected, f"scope='layer', sparsity={sparsity}")


@pytest.mark.weight(3)
def test_iterative_pruning_matches_torch_pruning_again(solution):
    """With masks from the previous step, only kept weights are candidates, as in torch."""
    rng = np.random.default_rng(32)
    for scope in ("global", "layer"):
        weights = random_layers(rng, 3)
        schedule = [0.3, 0.5, 0.25, 0.8]
        expected_steps = torch_masks(weights, schedule, scope)
        masks = None
        for step, (sparsity, expected) in enumerate(zip(schedule, expected_steps, strict=True)):
            masks = check_masks(
                solution.magnitude_masks(weights, sparsity, scope=scope, masks=masks), weights
            )
            assert_masks_equal(masks, expected, f"scope={scope!r}, step {step + 1} of {schedule}")


@pytest.mark.weight(2)
def test_prunes_exactly_round_half_to_even_of_sparsity_times_candidates(solution):
    """k = round(sparsity * n) with Python's round: 2.5 -> 2, 7.5 -> 8, 0.5 -> 0, 1.5 -> 2."""
    rng = np.random.default_rng(33)
    weights = {"a": rng.normal(size=(2, 2)), "b": rng.normal(size=6)}  # n = 10
    cases = [(0.25, 2), (0.75, 8), (0.05, 0), (0.15, 2), (0.45, 4), (0.55, 6)]
    for sparsity, pruned in cases:
        got = check_masks(solution.magnitude_masks(weights, sparsity), weights)
        count = sum(int((~m).sum()) for m in got.values())
        assert count == pruned, (
            f"sparsity={sparsity} of 10 weights: expected {pruned} pruned "
            f"(round({sparsity * 10:g})), got {count}"
        )
    for sparsity in (0.25, 0.75):
        for name, size in (("a", 4), ("b", 6)):
            got = check_masks(solution.magnitude_masks(weights, sparsity, scope="layer"), weights)
            count = int((~got[name]).sum())
            assert count == round(sparsity * size), (
                f"scope='layer', sparsity={sparsity}: layer {name!r} of {size} weights: expected "
                f"{round(sparsity * size)} pruned, got {count}"
            )


@pytest.mark.weight(2)
def test_ties_are_broken_by_position_across_layers(solution):
    """Equal magnitudes (including w and -w): earlier positions, in dict order, go first."""
    rng = np.random.default_rng(34)
    for trial in range(4):
        weights = {
            f"t{i}": rng.choice([-1.5, -1.0, -0.5, 0.5, 1.0, 1.5, 0.0], size=shape)
            for i, shape in enumerate([(30, 20), (500,), (7, 9, 3)])
        }
        for sparsity in (0.2, 0.45, 0.6):
            for scope in ("global", "layer"):
                expected = stable_sort_masks(weights, sparsity, scope)
                got = check_masks(solution.magnitude_masks(weights, sparsity, scope=scope), weights)
                assert_masks_equal(
                    got, expected, f"trial {trial}, scope={scope!r}, sparsity={sparsity}"
                )
            masks = stable_sort_masks(weights, sparsity, "global")
            expected = stable_sort_masks(weights, 0.5, "layer", masks)
            got = check_masks(
                solution.magnitude_masks(weights, 0.5, scope="layer", masks=masks), weights
            )
            assert_masks_equal(got, expected, f"trial {trial}, pruning again with ties")


@pytest.mark.weight(1)
def test_accepts_float32_lists_integers_empty_and_zero_d_layers(solution):
    """float32 arrays, nested lists, integers, an empty layer and a scalar all work."""
    rng = np.random.default_rng(35)
    weights = {
        "f32": rng.normal(size=(5, 4)).astype(np.float32),
        "list": rng.normal(size=(3, 3)).tolist(),
        "ints": rng.integers(-50, 50, size=12),
        "empty": np.zeros((0, 3)),
        "scalar": np.array(0.75),
    }
    for scope in ("global", "layer"):
        for sparsity in (0.3, 0.6):
            expected = stable_sort_masks(weights, sparsity, scope)
            got = check_masks(solution.magnitude_masks(weights, sparsity, scope=scope), weights)
            assert_masks_equal(got, expected, f"mixed inputs, scope={scope!r}, sparsity={sparsity}")
    got = solution.magnitude_masks({}, 0.5)
    assert got == {}, f"empty weights must give {{}}, got {got!r}"


@pytest.mark.weight(1)
def test_invalid_arguments_raise_value_error(solution):
    """ValueError for bad weights, sparsity, scope and masks."""
    weights = {"a": np.ones((2, 3)), "b": np.ones(4)}
    good_masks = {"a": np.ones((2, 3), dtype=bool), "b": np.ones(4, dtype=bool)}
    bad_calls = {
        "weights as a list": lambda: solution.magnitude_masks([np.ones(3)], 0.5),
        "NaN weight": lambda: solution.magnitude_masks({"a": np.array([1.0, np.nan])}, 0.5),
        "infinite weight": lambda: solution.magnitude_masks({"a": np.array([np.inf])}, 0.5),
        "string weights": lambda: solution.magnitude_masks({"a": np.array(["x", "y"])}, 0.5),
        "sparsity -0.1": lambda: solution.magnitude_masks(weights, -0.1),
        "sparsity 1.5": lambda: solution.magnitude_masks(weights, 1.5),
        "sparsity NaN": lambda: solution.magnitude_masks(weights, float("nan")),
        "sparsity True": lambda: solution.magnitude_masks(weights, True),
        "sparsity '0.5'": lambda: solution.magnitude_masks(weights, "0.5"),
        "scope 'local'": lambda: solution.magnitude_masks(weights, 0.5, scope="local"),
        "masks missing a key": lambda: solution.magnitude_masks(
            weights, 0.5, masks={"a": good_masks["a"]}
        ),
        "masks in another order": lambda: solution.magnitude_masks(
            weights, 0.5, masks={"b": good_masks["b"], "a": good_masks["a"]}
        ),
        "a float mask": lambda: solution.magnitude_masks(
            weights, 0.5, masks={"a": np.ones((2, 3)), "b": good_masks["b"]}
        ),
        "a mask of another shape": lambda: solution.magnitude_masks(
            weights, 0.5, masks={"a": np.ones(6, dtype=bool), "b": good_masks["b"]}
        ),
    }
    for what, call in bad_calls.items():
        try:
            call()
        except ValueError:
            continue
        raise AssertionError(f"expected ValueError for {what}, got a result")


@pytest.mark.weight(1)
def test_weights_and_masks_are_not_modified(solution):
    """Neither weights nor masks change; the result is a new dict."""
    rng = np.random.default_rng(36)
    weights = random_layers(rng, 3)
    masks = stable_sort_masks(weights, 0.4, "global")
    for kwargs in ({}, {"masks": masks}, {"scope": "layer", "masks": masks}):
        before = copy.deepcopy((weights, kwargs))
        _, after_args, after_kwargs = inspect_call(solution.magnitude_masks, weights, 0.5, **kwargs)
        assert_unchanged(before[0], after_args[0], what="weights")
        assert_unchanged(before[1], after_kwargs, what="masks")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_global_pruning_of_a_million_weights(solution, reference, speed):
    """Speed of global pruning against a linear-time reference: about 1M weights, 4 layers."""

    def make_case(rng):
        weights = {
            "conv": rng.normal(scale=0.05, size=(64, 32, 3, 3)).astype(np.float32),
            "fc1": rng.normal(scale=0.02, size=(1024, 768)).astype(np.float32),
            "fc2": rng.normal(scale=0.03, size=(256, 512)).astype(np.float32),
            "out": rng.normal(scale=0.1, size=(10, 256)).astype(np.float32),
        }
        return speed.case(weights, float(rng.uniform(0.5, 0.95)))

    def check(case, got, expected):
        weights = case.args[0]
        check_masks(got, weights)
        assert_masks_equal(got, expected, "global pruning on the speed test's layers")

    speed.compare(solution.magnitude_masks, reference.magnitude_masks, make_case, check)
