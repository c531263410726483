"""Public tests for distillation-loss: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

STUDENT = np.array([[2.0, 0.5, -1.0], [0.0, 1.0, 0.0]])
TEACHER = np.array([[3.0, 1.0, -2.0], [0.5, 0.5, 2.0]])
LABELS = [0, 1]


def test_the_example_of_the_statement(solution):
    """T = 2, alpha = 0.7: the statement's loss and gradient."""
    loss, grad = solution.distillation_loss(STUDENT, TEACHER, LABELS, temperature=2.0, alpha=0.7)
    assert isinstance(loss, float), f"loss must be a float, got {type(loss).__name__}"
    assert isinstance(grad, np.ndarray), f"grad must be a numpy array, got {type(grad).__name__}"
    assert grad.shape == (2, 3), f"grad must have the shape of the logits (2, 3), got {grad.shape}"
    np.testing.assert_allclose(loss, 0.37071401, rtol=1e-6)
    np.testing.assert_allclose(
        grad, [[-0.1021, 0.0437, 0.0584], [0.0536, 0.0827, -0.1363]], atol=1e-4
    )


def test_alpha_zero_is_plain_cross_entropy(solution):
    """alpha = 0: the mean cross-entropy of the student on the labels; the teacher plays no part."""
    loss, grad = solution.distillation_loss(STUDENT, TEACHER, LABELS, temperature=5.0, alpha=0.0)
    shifted = STUDENT - STUDENT.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(loss, -log_probs[[0, 1], LABELS].mean(), rtol=1e-6)
    expected = np.exp(log_probs)
    expected[[0, 1], LABELS] -= 1.0
    np.testing.assert_allclose(grad, expected / 2, rtol=1e-6, atol=1e-12)


def test_same_student_and_teacher_with_alpha_one_is_zero(solution):
    """KL(p || p) = 0: with alpha = 1 the loss and gradient vanish."""
    loss, grad = solution.distillation_loss(STUDENT, STUDENT, LABELS, temperature=3.0, alpha=1.0)
    assert abs(loss) < 1e-12, f"expected loss 0, got {loss}"
    np.testing.assert_allclose(grad, np.zeros((2, 3)), atol=1e-12)


def test_huge_logits_stay_finite(solution):
    """Logits of 1e4 must not overflow exp."""
    big = np.array([[1e4, -1e4, 0.0]])
    loss, grad = solution.distillation_loss(big, -big, [1], temperature=2.0, alpha=0.5)
    assert np.isfinite(loss), f"loss must be finite, got {loss}"
    assert np.isfinite(grad).all(), f"grad must be finite, got {grad}"


def test_rejects_a_temperature_of_zero(solution):
    """temperature must be > 0."""
    with pytest.raises(ValueError):
        solution.distillation_loss(STUDENT, TEACHER, LABELS, temperature=0.0)
