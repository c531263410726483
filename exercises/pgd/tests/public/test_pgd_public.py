"""Public tests for pgd: run them with "Run". The hidden suite checks much more."""

import pytest
import torch
from digits_model import digits_split, load_model


def test_stays_within_epsilon_and_the_valid_range(solution):
    """Every entry within epsilon of x and inside [clip_min, clip_max], even with large steps."""
    model = load_model()
    _, _, x, y = digits_split()
    got = solution.PGD(model, 0.1, 0.05, 5, seed=0)(x[:100], y[:100])
    assert isinstance(got, torch.Tensor), f"expected a tensor, got {type(got).__name__}"
    assert got.shape == (100, 64), f"expected shape (100, 64), got {tuple(got.shape)}"
    assert not got.requires_grad, "the result must be detached (requires_grad=False)"
    assert (got - x[:100]).abs().max() <= 0.1 + 1e-6, "some entry moved further than epsilon"
    assert got.min() >= 0.0 and got.max() <= 1.0, "values outside [0, 1]"


def test_one_step_without_random_start_on_a_linear_model(solution):
    """Identity logits, steps=1, alpha=epsilon: the FGSM step of the statement's example."""
    model = torch.nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.eye(2))
        model.bias.zero_()
    x = torch.tensor([[0.5, 0.5], [0.0, 0.95]])
    got = solution.PGD(model, 0.1, 0.1, 1, random_start=False)(x, torch.tensor([0, 1]))
    expected = torch.tensor([[0.4, 0.6], [0.1, 0.85]])
    torch.testing.assert_close(got, expected, msg=lambda m: f"expected {expected}, got {got}\n{m}")


def test_the_random_start_with_zero_steps(solution):
    """steps=0: x + epsilon * (2u - 1) clamped, u from torch.Generator().manual_seed(seed)."""
    x = torch.full((4, 3), 0.5)
    got = solution.PGD(torch.nn.Linear(3, 2), 0.2, 0.01, 0, seed=7)(x, torch.tensor([0, 1, 0, 1]))
    u = torch.rand(x.shape, generator=torch.Generator().manual_seed(7))
    torch.testing.assert_close(got, x + 0.2 * (2 * u - 1))


def test_the_same_seed_gives_the_same_attack(solution):
    """Two attacks with one seed return identical results."""
    model = load_model()
    _, _, x, y = digits_split()
    a = solution.PGD(model, 0.1, 0.02, 5, seed=3)(x[:50], y[:50])
    b = solution.PGD(model, 0.1, 0.02, 5, seed=3)(x[:50], y[:50])
    assert torch.equal(a, b), "same seed, different results"


def test_rejects_a_negative_number_of_steps(solution):
    """steps must be an integer >= 0."""
    with pytest.raises(ValueError):
        solution.PGD(torch.nn.Linear(2, 2), 0.1, 0.01, -1)
