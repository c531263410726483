"""Hidden tests for class-weights: scikit-learn's balanced weights, torch's weighted CE, speed."""

import numpy as np
import pytest
from class_weights_checks import (
    check_grad,
    check_loss,
    imbalanced_labels,
    problem,
    sklearn_weights,
    torch_loss_and_grad,
)

from graders.checks import assert_array, assert_close, assert_unchanged
from graders.remote import inspect_call

# (n, C, weights kind)
CE_CASES = [
    (8, 3, None),
    (50, 5, "random"),
    (200, 10, "random"),
    (64, 7, "zeros"),
    (1, 4, "random"),
    (30, 1, "random"),
]


@pytest.mark.weight(2)
def test_balanced_weights_match_scikit_learn(solution, tolerances):
    """n / (K n_k) for classes 0..K-1, float64 (K,), as compute_class_weight('balanced')."""
    rng = np.random.default_rng(20)
    for n, k, given in [(100, 4, False), (1000, 9, True), (37, 2, False), (5, 5, False)]:
        y = imbalanced_labels(rng, n, k)
        got = solution.balanced_class_weights(y, n_classes=k if given else None)
        got = assert_array(got, what=f"weights (n={n}, K={k})", shape=(k,), dtype=np.float64)
        assert_close(got, sklearn_weights(y, k), **tolerances, what=f"weights (n={n}, K={k})")
    for y in ([2, 0, 1, 1, 1, 1], np.array([3, 3, 0, 1, 2], dtype=np.uint8)):
        got = assert_array(solution.balanced_class_weights(y), what="weights", dtype=np.float64)
        assert_close(got, sklearn_weights(y, int(np.max(y)) + 1), **tolerances, what=f"y={y}")


@pytest.mark.weight(1)
def test_one_class_and_uniform_classes_get_weight_one(solution, tolerances):
    """A class with the average frequency weighs exactly 1."""
    got = solution.balanced_class_weights(np.zeros(7, dtype=np.int64))
    assert_close(got, np.ones(1), **tolerances, what="a single class")
    got = solution.balanced_class_weights(np.tile(np.arange(6), 4))
    assert_close(got, np.ones(6), **tolerances, what="six equally frequent classes")


@pytest.mark.weight(1)
def test_balanced_weights_reject_bad_labels(solution):
    """ValueError: not 1-D, empty, float dtype, negative, n_classes too small, an absent class."""
    for y, n_classes in [
        (np.zeros((2, 2), dtype=int), None),
        (np.array([], dtype=int), None),
        (np.array([0.0, 1.0]), None),
        (np.array([0, -1, 1]), None),
        (np.array([0, 1, 2]), 2),
        (np.array([0, 2, 2]), None),  # class 1 has no sample
        (np.array([0, 1, 1]), 3),  # class 2 has no sample
    ]:
        with pytest.raises(ValueError):
            solution.balanced_class_weights(y, n_classes=n_classes)


@pytest.mark.weight(3)
def test_loss_matches_torch_for_every_reduction(solution, tolerances):
    """'none', 'sum' and 'mean' equal F.cross_entropy(weight=...) in float64."""
    rng = np.random.default_rng(21)
    for n, c, kind in CE_CASES:
        logits, targets, w = problem(rng, n, c, weights=kind)
        for reduction in ("none", "sum", "mean"):
            expected, _ = torch_loss_and_grad(logits, targets, w, reduction)
            got = solution.weighted_cross_entropy(logits, targets, w, reduction=reduction)
            check_loss(got, expected, n, reduction, **tolerances, where=f"n={n}, C={c}, {kind}")


@pytest.mark.weight(1)
def test_the_mean_divides_by_the_total_weight_of_the_targets(solution, tolerances):
    """'mean' is sum_i w[y_i] l_i / sum_i w[y_i], not divided by n (and the default)."""
    logits = np.array([[1.0, 0.0], [0.0, 2.0], [0.5, 0.5]])
    targets = np.array([0, 1, 1])
    w = np.array([4.0, 0.5])
    expected, _ = torch_loss_and_grad(logits, targets, w, "mean")
    got = solution.weighted_cross_entropy(logits, targets, w)
    check_loss(got, expected, 3, "mean", **tolerances, where="weights [4, 0.5], the default")
    _, expected_grad = torch_loss_and_grad(logits, targets, w, "mean")
    got = solution.weighted_cross_entropy_grad(logits, targets, w)
    check_grad(got, expected_grad, **tolerances, where="weights [4, 0.5], the default")


@pytest.mark.weight(3)
def test_gradient_matches_torch_autograd(solution, tolerances):
    """The (n, C) gradient of 'sum' and 'mean' equals torch autograd's in float64."""
    rng = np.random.default_rng(22)
    for n, c, kind in CE_CASES:
        logits, targets, w = problem(rng, n, c, weights=kind)
        for reduction in ("sum", "mean"):
            _, expected = torch_loss_and_grad(logits, targets, w, reduction)
            got = solution.weighted_cross_entropy_grad(logits, targets, w, reduction=reduction)
            check_grad(got, expected, **tolerances, where=f"n={n}, C={c}, {kind}, {reduction}")


@pytest.mark.weight(1)
def test_huge_logits_do_not_overflow(solution, tolerances):
    """Logits of magnitude 1e4: finite losses and gradients, equal to torch's."""
    rng = np.random.default_rng(23)
    logits, targets, w = problem(rng, 40, 6, scale=1.0)
    logits = logits * 1e4
    logits[0] = [1e4, -1e4, 1e4, 1e4, 0.0, -3.0]
    for reduction in ("none", "sum", "mean"):
        expected, grad = torch_loss_and_grad(logits, targets, w, reduction)
        got = solution.weighted_cross_entropy(logits, targets, w, reduction=reduction)
        check_loss(got, expected, 40, reduction, **tolerances, where="logits ~ 1e4")
        if grad is not None:
            got = solution.weighted_cross_entropy_grad(logits, targets, w, reduction=reduction)
            check_grad(got, grad, **tolerances, where=f"logits ~ 1e4, {reduction}")


@pytest.mark.weight(1)
def test_an_empty_batch_and_a_zero_total_weight(solution, tolerances):
    """n = 0: 'none' is empty, 'sum' is 0.0; 'mean' with zero total weight raises ValueError."""
    logits = np.zeros((0, 3))
    targets = np.zeros(0, dtype=np.int64)
    got = solution.weighted_cross_entropy(logits, targets, reduction="none")
    assert_array(got, what="'none' on an empty batch", shape=(0,), dtype=np.float64)
    got = solution.weighted_cross_entropy(logits, targets, reduction="sum")
    check_loss(got, 0.0, 0, "sum", **tolerances, where="an empty batch")
    got = solution.weighted_cross_entropy_grad(logits, targets, reduction="sum")
    assert_array(got, what="the gradient of an empty batch", shape=(0, 3), dtype=np.float64)
    for function in (solution.weighted_cross_entropy, solution.weighted_cross_entropy_grad):
        with pytest.raises(ValueError):
            function(logits, targets, reduction="mean")
        with pytest.raises(ValueError):  # every target has weight 0
            function(np.ones((2, 3)), np.array([1, 1]), np.array([1.0, 0.0, 1.0]))


@pytest.mark.weight(1)
def test_bad_inputs_raise_value_error(solution):
    """ValueError for bad shapes, targets, weights and reductions."""
    z = np.zeros((3, 4))
    t = np.array([0, 1, 3])
    bad = [
        (np.zeros(4), t, None, "mean"),  # logits 1-D
        (np.zeros((3, 0)), t, None, "mean"),  # no class
        (z, np.array([0, 1]), None, "mean"),  # targets too short
        (z, np.array([0.0, 1.0, 3.0]), None, "mean"),  # float targets
        (z, np.array([0, 1, 4]), None, "mean"),  # target out of range
        (z, np.array([0, -1, 3]), None, "mean"),  # negative target
        (z, t, np.ones(3), "mean"),  # weights of the wrong length
        (z, t, np.array([1.0, -1.0, 1.0, 1.0]), "sum"),  # negative weight
        (z, t, np.array([1.0, np.nan, 1.0, 1.0]), "sum"),  # NaN weight
        (z, t, None, "average"),  # unknown reduction
    ]
    for logits, targets, w, reduction in bad:
        for function in (solution.weighted_cross_entropy, solution.weighted_cross_entropy_grad):
            with pytest.raises(ValueError):
                function(logits, targets, w, reduction=reduction)
    with pytest.raises(ValueError):
        solution.weighted_cross_entropy_grad(z, t, reduction="none")


@pytest.mark.weight(1)
def test_inputs_are_not_modified(solution):
    """No function changes the arrays it is given."""
    rng = np.random.default_rng(24)
    logits, targets, w = problem(rng, 20, 5)
    calls = [
        (solution.balanced_class_weights, (targets,), {}),
        (solution.weighted_cross_entropy, (logits, targets, w), {"reduction": "none"}),
        (solution.weighted_cross_entropy_grad, (logits, targets, w), {}),
    ]
    for function, args, kwargs in calls:
        _, after, _ = inspect_call(function, *args, **kwargs)
        assert_unchanged(list(args), after, what="the arguments")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_the_gradient_on_5k_samples_and_100_classes(
    solution, reference, speed, tolerances
):
    """weighted_cross_entropy_grad against a vectorized reference: n=5,000, C=100."""

    def make_case(rng):
        logits, targets, w = problem(rng, 5_000, 100)
        return speed.case(logits, targets, w)

    def check(case, got, expected):
        check_grad(got, expected, **tolerances, where="speed test")

    speed.compare(
        solution.weighted_cross_entropy_grad,
        reference.weighted_cross_entropy_grad,
        make_case,
        check,
    )
