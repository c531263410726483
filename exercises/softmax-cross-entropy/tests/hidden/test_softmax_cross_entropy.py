"""Hidden tests for softmax-cross-entropy: log_softmax, loss and gradient vs torch, stability."""

import numpy as np
import pytest
from sce_checks import (
    check_result,
    compare,
    random_logits,
    torch_cross_entropy,
    torch_log_softmax,
)

from graders.checks import assert_array, assert_close, assert_unchanged
from graders.remote import inspect_call

SIZES = [(8, 5), (1, 3), (20, 10), (3, 1), (50, 2), (6, 100)]


@pytest.mark.weight(2)
def test_log_softmax_matches_torch_on_any_number_of_dimensions(solution, tolerances):
    """log_softmax along the last axis for 1-D, 2-D and 3-D logits, like torch.log_softmax."""
    rng = np.random.default_rng(1)
    for shape in [(7,), (1,), (5, 4), (3, 1), (2, 3, 6)]:
        logits = rng.normal(scale=4.0, size=shape)
        got = assert_array(
            solution.log_softmax(logits), what="log_softmax", shape=shape, dtype=np.float64
        )
        assert_close(
            got,
            torch_log_softmax(logits),
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            what=f"log_softmax of shape {shape}",
        )


@pytest.mark.weight(2)
def test_log_softmax_is_exact_for_huge_and_far_apart_logits(solution, tolerances):
    """Huge logits neither overflow nor underflow to -inf; every row is shifted on its own."""
    cases = [
        [1e4, -1e4],
        [0.0, -800.0],
        [[1000.0, 999.0, 0.0], [-1000.0, -1001.0, -5000.0]],
        [[3e5, 3e5 + 1.0], [-3e5, -3e5 + 2.0]],
        [[1e300, -1e300, 0.0]],
    ]
    for logits in cases:
        expected = torch_log_softmax(logits)
        got = assert_array(
            solution.log_softmax(logits),
            what=f"log_softmax({logits})",
            shape=expected.shape,
            dtype=np.float64,
        )
        assert_close(
            got,
            expected,
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            what=f"log_softmax({logits})",
        )


@pytest.mark.weight(3)
def test_loss_and_gradient_match_torch_cross_entropy(solution, tolerances):
    """Without smoothing, mean and sum reductions: loss and gradient like torch and autograd."""
    rng = np.random.default_rng(2)
    for n, classes in SIZES:
        for reduction in ("mean", "sum"):
            logits, targets = random_logits(rng, n, classes)
            got = check_result(
                solution.softmax_cross_entropy(logits, targets, reduction=reduction), n, classes
            )
            expected = torch_cross_entropy(logits, targets, reduction=reduction)
            compare(got, expected, tolerances=tolerances, where=f"N={n}, C={classes}, {reduction}")


@pytest.mark.weight(3)
def test_label_smoothing_matches_torch(solution, tolerances):
    """Smoothing over all C classes (target included), for several values in [0, 1]."""
    rng = np.random.default_rng(3)
    for n, classes in SIZES:
        for smoothing in (0.05, 0.1, 0.5, 1.0):
            for reduction in ("mean", "sum"):
                logits, targets = random_logits(rng, n, classes)
                got = check_result(
                    solution.softmax_cross_entropy(
                        logits, targets, label_smoothing=smoothing, reduction=reduction
                    ),
                    n,
                    classes,
                )
                expected = torch_cross_entropy(
                    logits, targets, label_smoothing=smoothing, reduction=reduction
                )
                compare(
                    got,
                    expected,
                    tolerances=tolerances,
                    where=f"N={n}, C={classes}, label_smoothing={smoothing}, {reduction}",
                )


@pytest.mark.weight(2)
def test_huge_logits_give_finite_exact_losses_and_gradients(solution, tolerances):
    """Logits of order 1e4 to 1e5, rows at very different scales: no overflow, no inf."""
    rng = np.random.default_rng(4)
    logits = rng.normal(scale=1e4, size=(12, 7))
    logits[::3] += 1e5
    logits[1::3] -= 1e5
    targets = rng.integers(0, 7, size=12)
    targets[0] = int(np.argmin(logits[0]))  # a target with probability far below 1e-300
    for smoothing in (0.0, 0.2):
        got = check_result(
            solution.softmax_cross_entropy(logits, targets, label_smoothing=smoothing), 12, 7
        )
        expected = torch_cross_entropy(logits, targets, label_smoothing=smoothing)
        compare(got, expected, tolerances=tolerances, where=f"huge logits, smoothing={smoothing}")


@pytest.mark.weight(1)
def test_gradient_rows_sum_to_zero_and_a_single_class_costs_nothing(solution):
    """Each gradient row sums to 0; with C = 1 the loss and the gradient are 0."""
    rng = np.random.default_rng(5)
    logits, targets = random_logits(rng, 30, 6)
    _, grad = check_result(
        solution.softmax_cross_entropy(logits, targets, label_smoothing=0.3), 30, 6
    )
    assert_close(grad.sum(axis=1), np.zeros(30), rtol=0, atol=1e-15, what="row sums of grad")
    for smoothing in (0.0, 0.4):
        loss, grad = check_result(
            solution.softmax_cross_entropy(
                rng.normal(size=(4, 1)), [0, 0, 0, 0], label_smoothing=smoothing
            ),
            4,
            1,
        )
        assert abs(loss) <= 1e-15, f"one class: the loss must be 0, got {loss}"
        assert np.all(np.abs(grad) <= 1e-15), "one class: the gradient must be 0"


@pytest.mark.weight(1)
def test_accepts_lists_and_any_integer_dtype_for_targets(solution, tolerances):
    """logits as nested lists, float32 or ints; targets as a list, int32 or uint8 array."""
    rng = np.random.default_rng(6)
    logits, targets = random_logits(rng, 9, 4)
    logits = logits.astype(np.float32).astype(np.float64)
    expected = torch_cross_entropy(logits, targets, label_smoothing=0.1)
    for z, t, label in (
        (logits.tolist(), targets.tolist(), "lists"),
        (logits.astype(np.float32), targets.astype(np.int32), "float32 logits, int32 targets"),
        (logits, targets.astype(np.uint8), "uint8 targets"),
    ):
        got = check_result(solution.softmax_cross_entropy(z, t, label_smoothing=0.1), 9, 4)
        compare(got, expected, tolerances=tolerances, where=label)


@pytest.mark.weight(1)
def test_rejects_bad_input_with_value_error(solution):
    """ValueError for non-finite logits, bad shapes, targets, label_smoothing and reduction."""
    logits = np.zeros((3, 4))
    targets = np.array([0, 1, 3])
    bad_calls = {
        "NaN in logits": lambda: solution.softmax_cross_entropy(
            np.array([[0.0, np.nan, 1.0, 2.0]] * 3), targets
        ),
        "inf in logits": lambda: solution.softmax_cross_entropy(
            np.array([[0.0, np.inf, 1.0, 2.0]] * 3), targets
        ),
        "log_softmax of NaN": lambda: solution.log_softmax(np.array([0.0, np.nan])),
        "log_softmax of -inf": lambda: solution.log_softmax(np.array([0.0, -np.inf])),
        "log_softmax of a 0-d array": lambda: solution.log_softmax(np.float64(1.0)),
        "1-D logits": lambda: solution.softmax_cross_entropy(np.zeros(4), [0]),
        "N = 0": lambda: solution.softmax_cross_entropy(np.zeros((0, 4)), np.zeros(0, dtype=int)),
        "C = 0": lambda: solution.softmax_cross_entropy(np.zeros((3, 0)), targets),
        "a target equal to C": lambda: solution.softmax_cross_entropy(logits, [0, 1, 4]),
        "a negative target": lambda: solution.softmax_cross_entropy(logits, [0, -1, 2]),
        "float targets": lambda: solution.softmax_cross_entropy(logits, [0.0, 1.0, 2.0]),
        "targets of the wrong length": lambda: solution.softmax_cross_entropy(logits, [0, 1]),
        "label_smoothing=1.5": lambda: solution.softmax_cross_entropy(
            logits, targets, label_smoothing=1.5
        ),
        "label_smoothing=-0.1": lambda: solution.softmax_cross_entropy(
            logits, targets, label_smoothing=-0.1
        ),
        "reduction='none'": lambda: solution.softmax_cross_entropy(
            logits, targets, reduction="none"
        ),
    }
    for label, call in bad_calls.items():
        try:
            call()
        except ValueError:
            continue
        raise AssertionError(f"{label}: expected ValueError, but the call returned")


@pytest.mark.weight(1)
def test_does_not_modify_its_inputs(solution):
    """logits and targets are not changed in place (no in-place shift by the maximum)."""
    rng = np.random.default_rng(7)
    logits, targets = random_logits(rng, 10, 5)
    _, args, _ = inspect_call(
        solution.softmax_cross_entropy, logits.copy(), targets.copy(), label_smoothing=0.1
    )
    assert_unchanged(logits, args[0], what="logits")
    assert_unchanged(targets, args[1], what="targets")
    _, args, _ = inspect_call(solution.log_softmax, logits.copy())
    assert_unchanged(logits, args[0], what="log_softmax's logits")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_2048_by_512_logits(solution, reference, speed, tolerances):
    """Speed of softmax_cross_entropy against a vectorized reference: (2048, 512), smoothing 0.1."""

    def make_case(rng):
        logits = rng.standard_normal((2048, 512)) * 3.0
        return speed.case(logits, rng.integers(0, 512, size=2048), label_smoothing=0.1)

    def check(case, got, expected):
        got = check_result(got, 2048, 512)
        compare(got, expected, tolerances=tolerances, where="the speed test's batch")

    speed.compare(solution.softmax_cross_entropy, reference.softmax_cross_entropy, make_case, check)
