"""Hidden tests for distillation-loss: loss and gradient against PyTorch, stability, speed."""

import copy

import numpy as np
import pytest
from distillation_checks import check_result, random_case, torch_loss_and_grad

from graders.checks import assert_close, assert_unchanged
from graders.remote import inspect_call

# (n, C, temperature, alpha): temperatures below, at and above 1; alpha at both ends.
CASES = [
    (1, 2, 1.0, 0.5),
    (6, 3, 2.0, 0.5),
    (10, 7, 4.0, 0.9),
    (16, 10, 0.5, 0.3),
    (32, 5, 8.0, 0.7),
    (9, 4, 3.0, 0.0),
    (9, 4, 3.0, 1.0),
    (4, 100, 20.0, 0.6),
    (20, 2, 1.7, 0.25),
]


def describe(n, classes, temperature, alpha):
    return f"n={n}, C={classes}, T={temperature}, alpha={alpha}"


@pytest.mark.weight(3)
def test_loss_matches_torch_kl_div_batchmean_and_cross_entropy(solution, tolerances):
    """loss = alpha T^2 KL(p_T || q_T) (batchmean) + (1 - alpha) CE, as PyTorch computes it."""
    rng = np.random.default_rng(40)
    for n, classes, temperature, alpha in CASES:
        student, teacher, labels = random_case(rng, n, classes)
        expected, _ = torch_loss_and_grad(student, teacher, labels, temperature, alpha)
        result = solution.distillation_loss(
            student, teacher, labels, temperature=temperature, alpha=alpha
        )
        loss, _ = check_result(result, n, classes)
        assert_close(
            loss,
            expected,
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            what=f"loss ({describe(n, classes, temperature, alpha)})",
        )


@pytest.mark.weight(3)
def test_gradient_matches_torch_autograd(solution, tolerances):
    """grad = d loss / d student_logits, as PyTorch float64 autograd computes it."""
    rng = np.random.default_rng(41)
    for n, classes, temperature, alpha in CASES:
        student, teacher, labels = random_case(rng, n, classes)
        _, expected = torch_loss_and_grad(student, teacher, labels, temperature, alpha)
        result = solution.distillation_loss(
            student, teacher, labels, temperature=temperature, alpha=alpha
        )
        _, grad = check_result(result, n, classes)
        assert_close(
            grad,
            expected,
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            what=f"grad ({describe(n, classes, temperature, alpha)})",
        )


@pytest.mark.weight(1)
def test_gradient_matches_central_finite_differences_of_the_loss(solution, tolerances):
    """Every gradient entry matches a central difference of the candidate's own loss."""
    rng = np.random.default_rng(42)
    student, teacher, labels = random_case(rng, 3, 4, scale=1.5)
    kwargs = {"temperature": 2.5, "alpha": 0.6}
    _, grad = check_result(solution.distillation_loss(student, teacher, labels, **kwargs), 3, 4)
    step = 1e-6
    numeric = np.zeros_like(student)
    for index in np.ndindex(student.shape):
        values = []
        for sign in (1.0, -1.0):
            shifted = student.copy()
            shifted[index] += sign * step
            loss, _ = check_result(
                solution.distillation_loss(shifted, teacher, labels, **kwargs), 3, 4
            )
            values.append(loss)
        numeric[index] = (values[0] - values[1]) / (2 * step)
    assert_close(
        grad,
        numeric,
        rtol=tolerances["fd_rtol"],
        atol=tolerances["fd_atol"],
        what="grad against finite differences of the loss",
    )


@pytest.mark.weight(2)
def test_huge_logits_do_not_overflow_and_zero_teacher_probabilities_count_zero(
    solution, tolerances
):
    """Logits of +-1e4 (and a 1e6 offset): finite results equal to PyTorch's."""
    student = np.array([[1e4, -1e4, 0.0], [-1e4, 5e3, 1e4], [3.0, 2.0, 1.0], [1e6, 1e6 + 2.0, 1e6]])
    teacher = np.array([[-1e4, 1e4, 0.0], [1e4, 1e4, -1e4], [1e4, -1e4, -1e4], [0.5, 0.0, 9e3]])
    labels = np.array([1, 0, 2, 1])
    for temperature, alpha in [(1.0, 0.5), (4.0, 0.8), (0.25, 0.3)]:
        expected_loss, expected_grad = torch_loss_and_grad(
            student, teacher, labels, temperature, alpha
        )
        result = solution.distillation_loss(
            student, teacher, labels, temperature=temperature, alpha=alpha
        )
        loss, grad = check_result(result, 4, 3)
        where = f"huge logits, T={temperature}, alpha={alpha}"
        assert_close(
            loss,
            expected_loss,
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            what=f"loss ({where})",
        )
        assert_close(
            grad,
            expected_grad,
            rtol=tolerances["rtol"],
            atol=tolerances["atol"],
            what=f"grad ({where})",
        )


@pytest.mark.weight(1)
def test_a_student_equal_to_its_teacher_has_no_soft_loss(solution, tolerances):
    """Same logits: KL = 0, so the loss is (1 - alpha) CE and alpha = 1 gives loss 0, grad 0."""
    rng = np.random.default_rng(44)
    student, _, labels = random_case(rng, 12, 6)
    loss, grad = check_result(
        solution.distillation_loss(student, student.copy(), labels, temperature=3.0, alpha=1.0),
        12,
        6,
    )
    assert_close(loss, 0.0, rtol=0.0, atol=1e-12, what="loss with teacher == student, alpha=1")
    assert_close(grad, np.zeros((12, 6)), rtol=0.0, atol=1e-12, what="grad, teacher == student")
    expected, expected_grad = torch_loss_and_grad(student, student, labels, 3.0, 0.4)
    loss, grad = check_result(
        solution.distillation_loss(student, student, labels, temperature=3.0, alpha=0.4), 12, 6
    )
    assert_close(loss, expected, rtol=tolerances["rtol"], atol=tolerances["atol"], what="loss")
    assert_close(grad, expected_grad, rtol=tolerances["rtol"], atol=tolerances["atol"], what="grad")


@pytest.mark.weight(1)
def test_one_class_lists_and_integer_logits(solution, tolerances):
    """C = 1 gives loss 0 and grad 0; lists and integer arrays are accepted."""
    loss, grad = check_result(
        solution.distillation_loss([[3.0], [-1.0]], [[0.0], [2.0]], [0, 0], temperature=2.0), 2, 1
    )
    assert_close(loss, 0.0, rtol=0.0, atol=1e-12, what="loss with one class")
    assert_close(grad, np.zeros((2, 1)), rtol=0.0, atol=1e-12, what="grad with one class")
    rng = np.random.default_rng(45)
    student = rng.integers(-5, 6, size=(5, 4))
    teacher = rng.integers(-5, 6, size=(5, 4))
    labels = rng.integers(0, 4, size=5)
    expected, expected_grad = torch_loss_and_grad(student, teacher, labels, 2.0, 0.5)
    loss, grad = check_result(
        solution.distillation_loss(
            student.tolist(), teacher, labels.tolist(), temperature=2, alpha=0.5
        ),
        5,
        4,
    )
    assert_close(loss, expected, rtol=tolerances["rtol"], atol=tolerances["atol"], what="loss")
    assert_close(grad, expected_grad, rtol=tolerances["rtol"], atol=tolerances["atol"], what="grad")


@pytest.mark.weight(1)
def test_invalid_arguments_raise_value_error(solution):
    """ValueError for bad shapes, labels, temperature, alpha and non-finite logits."""
    s, t, y = np.zeros((3, 4)), np.zeros((3, 4)), np.array([0, 1, 3])
    bad_calls = {
        "1-D logits": lambda: solution.distillation_loss(np.zeros(4), np.zeros(4), [0]),
        "empty batch": lambda: solution.distillation_loss(
            np.zeros((0, 4)), np.zeros((0, 4)), np.zeros(0, dtype=int)
        ),
        "teacher of another shape": lambda: solution.distillation_loss(s, np.zeros((3, 5)), y),
        "NaN in the student": lambda: solution.distillation_loss(
            np.where(np.eye(3, 4) > 0, np.nan, 0.0), t, y
        ),
        "inf in the teacher": lambda: solution.distillation_loss(s, np.full((3, 4), np.inf), y),
        "label 4 of 4 classes": lambda: solution.distillation_loss(s, t, [0, 1, 4]),
        "label -1": lambda: solution.distillation_loss(s, t, [0, -1, 2]),
        "two labels for three rows": lambda: solution.distillation_loss(s, t, [0, 1]),
        "float labels": lambda: solution.distillation_loss(s, t, [0.0, 1.0, 2.0]),
        "temperature 0": lambda: solution.distillation_loss(s, t, y, temperature=0.0),
        "temperature -1": lambda: solution.distillation_loss(s, t, y, temperature=-1.0),
        "temperature inf": lambda: solution.distillation_loss(s, t, y, temperature=float("inf")),
        "alpha 1.5": lambda: solution.distillation_loss(s, t, y, alpha=1.5),
        "alpha -0.1": lambda: solution.distillation_loss(s, t, y, alpha=-0.1),
        "alpha NaN": lambda: solution.distillation_loss(s, t, y, alpha=float("nan")),
        "alpha True": lambda: solution.distillation_loss(s, t, y, alpha=True),
    }
    for what, call in bad_calls.items():
        try:
            call()
        except ValueError:
            continue
        raise AssertionError(f"expected ValueError for {what}, got a result")


@pytest.mark.weight(1)
def test_inputs_are_not_modified(solution):
    """The logits and labels are as they were after the call."""
    rng = np.random.default_rng(46)
    student, teacher, labels = random_case(rng, 8, 5)
    args = (student, teacher, labels)
    before = copy.deepcopy(args)
    _, after, _ = inspect_call(solution.distillation_loss, *args, temperature=2.0, alpha=0.5)
    assert_unchanged(list(before), after, what="the arguments")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_2048_rows_of_512_classes(solution, reference, speed, tolerances):
    """Speed against a vectorized reference: n = 2048, C = 512, T = 4."""

    def make_case(rng):
        student, teacher, labels = random_case(rng, 2048, 512)
        return speed.case(student, teacher, labels, temperature=4.0, alpha=0.7)

    def check(case, got, expected):
        loss, grad = check_result(got, 2048, 512)
        tol = {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}
        assert_close(loss, expected[0], **tol, what="loss on the speed test's batch")
        assert_close(grad, expected[1], **tol, what="grad on the speed test's batch")

    speed.compare(solution.distillation_loss, reference.distillation_loss, make_case, check)
