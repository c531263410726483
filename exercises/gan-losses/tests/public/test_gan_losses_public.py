"""Public tests for gan-losses: run them with "Run". The hidden suite checks much more."""

import pytest
import torch
import torch.nn.functional as F
from gan_nets import make_pair


def test_discriminator_loss_on_the_example(solution):
    """BCE(real, 1) + BCE(fake, 0): a sum of two means."""
    got = solution.discriminator_loss(torch.tensor([2.0, 0.5]), torch.tensor([-1.0, 0.0]))
    assert isinstance(got, torch.Tensor) and got.ndim == 0, "expected a 0-d tensor"
    assert abs(got.item() - 0.803707) < 1e-5, f"expected 0.803707, got {got.item()}"


def test_generator_loss_is_non_saturating(solution):
    """-mean(log(sigmoid(fake))), not mean(log(1 - sigmoid(fake)))."""
    fake = torch.tensor([-1.0, 0.0, 3.0])
    got = solution.generator_loss(fake)
    expected = F.binary_cross_entropy_with_logits(fake, torch.ones(3))
    assert abs(got.item() - expected.item()) < 1e-6, f"expected {expected.item()}, got {got}"


def test_generator_loss_is_exact_for_a_huge_logit(solution):
    """-log(sigmoid(-1000)) is 1000, not inf."""
    got = solution.generator_loss(torch.tensor([-1000.0]))
    assert abs(got.item() - 1000.0) < 1e-3, f"expected 1000, got {got.item()}"


def test_train_step_returns_the_losses_and_both_state_dicts(solution):
    """The returned dict has the two losses as floats and the updated state dicts."""
    generator, discriminator = make_pair(0)
    source = torch.Generator().manual_seed(0)
    real, z = 4.0 + torch.randn(16, 1, generator=source), torch.randn(16, 2, generator=source)
    result = solution.train_step(generator, discriminator, real, z)
    assert set(result) == {"d_loss", "g_loss", "generator", "discriminator"}, sorted(result)
    assert isinstance(result["d_loss"], float) and isinstance(result["g_loss"], float)
    assert set(result["generator"]) == set(generator.state_dict())
    changed = any(
        not torch.equal(result["discriminator"][k], v)
        for k, v in discriminator.state_dict().items()
    )
    assert changed, "the discriminator's parameters did not change"


def test_empty_logits_raise_value_error(solution):
    """An empty logits tensor is a ValueError."""
    with pytest.raises(ValueError):
        solution.generator_loss(torch.zeros(0))
