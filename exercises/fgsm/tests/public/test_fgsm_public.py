"""Public tests for fgsm: run them with "Run". The hidden suite checks much more."""

import pytest
import torch
from digits_model import digits_split, load_model


def example_model():
    model = torch.nn.Linear(2, 2)
    with torch.no_grad():
        model.weight.copy_(torch.eye(2))
        model.bias.zero_()
    return model.eval()


def test_the_example_of_the_statement(solution):
    """Identity logits: the true class's feature goes down by epsilon, the other's up."""
    x = torch.tensor([[0.5, 0.5], [0.0, 0.95]])
    got = solution.FGSM(example_model(), 0.1)(x, torch.tensor([0, 1]))
    assert isinstance(got, torch.Tensor), f"expected a tensor, got {type(got).__name__}"
    assert got.shape == x.shape, f"expected shape {tuple(x.shape)}, got {tuple(got.shape)}"
    assert not got.requires_grad, "the result must be detached (requires_grad=False)"
    expected = torch.tensor([[0.4, 0.6], [0.1, 0.85]])
    torch.testing.assert_close(got, expected, msg=lambda m: f"expected {expected}, got {got}\n{m}")


def test_the_result_is_clamped_to_the_valid_range(solution):
    """clip_min / clip_max bound every entry of the result."""
    x = torch.tensor([[0.0, 1.0], [0.95, 0.02]])
    got = solution.FGSM(example_model(), 0.1)(x, torch.tensor([1, 0]))
    assert got.min() >= 0.0 and got.max() <= 1.0, f"values outside [0, 1]: {got}"
    got = solution.FGSM(example_model(), 0.3, clip_min=0.1, clip_max=0.8)(x, torch.tensor([1, 0]))
    assert got.min() >= 0.1 and got.max() <= 0.8, f"values outside [0.1, 0.8]: {got}"


def test_every_entry_moves_by_at_most_epsilon(solution):
    """On the digits model: |x_adv - x| <= epsilon everywhere, and the accuracy drops."""
    model = load_model()
    _, _, x, y = digits_split()
    got = solution.FGSM(model, 0.1)(x, y)
    assert (got - x).abs().max() <= 0.1 + 1e-6, "some entry moved further than epsilon"
    with torch.no_grad():
        accuracy = (model(got).argmax(1) == y).float().mean().item()
    assert accuracy < 0.8, f"accuracy after the attack is still {accuracy:.3f} (clean: ~0.99)"


def test_rejects_a_negative_epsilon(solution):
    """epsilon must be >= 0."""
    with pytest.raises(ValueError):
        solution.FGSM(example_model(), -0.1)


def test_rejects_labels_of_the_wrong_length(solution):
    """x and y must have the same number of samples."""
    attack = solution.FGSM(example_model(), 0.1)
    with pytest.raises(ValueError):
        attack(torch.zeros(3, 2), torch.tensor([0, 1]))
