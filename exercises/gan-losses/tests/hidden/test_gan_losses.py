"""Hidden tests for gan-losses: both losses against PyTorch, their stability, the training step
against a trusted step, and what training does to the networks (statistically, fixed seeds)."""

import copy

import numpy as np
import pytest
import torch
from gan_checks import (
    DATA_MEAN,
    assert_state_close,
    batch,
    check_loss,
    check_step_result,
    trusted_d_loss,
    trusted_g_loss,
    trusted_step,
)
from gan_nets import make_pair

from graders.checks import assert_close, assert_unchanged
from graders.remote import inspect_call

DTYPES = [torch.float32, torch.float64]


def _tolerance(tolerances, dtype):
    suffix = "64" if dtype == torch.float64 else "32"
    return {"rtol": tolerances[f"rtol{suffix}"], "atol": tolerances[f"atol{suffix}"]}


def _logits(source, shape, dtype, scale=3.0):
    return (scale * torch.randn(shape, generator=source, dtype=torch.float64)).to(dtype)


@pytest.mark.weight(2)
def test_discriminator_loss_is_the_sum_of_two_binary_cross_entropies(solution, tolerances):
    """d_loss = BCE(real logits, 1) + BCE(fake logits, 0), as PyTorch computes them."""
    source = torch.Generator().manual_seed(400)
    for dtype in DTYPES:
        for real_shape, fake_shape in (
            ((64, 1), (64, 1)),
            ((10,), (25,)),
            ((1,), (1,)),
            ((7, 3), (5, 2)),
        ):
            real = _logits(source, real_shape, dtype) + 1.0
            fake = _logits(source, fake_shape, dtype) - 1.0
            got = check_loss(solution.discriminator_loss(real, fake), dtype, "discriminator_loss")
            assert_close(
                got,
                trusted_d_loss(real, fake),
                **_tolerance(tolerances, dtype),
                what=f"discriminator_loss, {dtype}, shapes {real_shape} and {fake_shape}",
            )


@pytest.mark.weight(2)
def test_generator_loss_is_the_non_saturating_loss(solution, tolerances):
    """g_loss = BCE(fake logits, 1) = -mean(log sigmoid(fake)): the non-saturating loss."""
    source = torch.Generator().manual_seed(401)
    for dtype in DTYPES:
        for shape, shift in (((64, 1), -3.0), ((10,), 0.0), ((1,), 2.0), ((4, 4), -8.0)):
            fake = _logits(source, shape, dtype) + shift
            got = check_loss(solution.generator_loss(fake), dtype, "generator_loss")
            assert_close(
                got,
                trusted_g_loss(fake),
                **_tolerance(tolerances, dtype),
                what=f"generator_loss, {dtype}, shape {shape}, logits around {shift}",
            )


@pytest.mark.weight(1)
def test_losses_are_exact_for_huge_logits(solution, tolerances):
    """Logits of +-1000 give the exact (finite, linear) losses, not inf, NaN or a clamp."""
    for dtype in DTYPES:
        tol = _tolerance(tolerances, dtype)
        confident = torch.tensor([1000.0, 250.0, -30.0], dtype=dtype)
        fooled = torch.tensor([-1000.0, -250.0, 30.0], dtype=dtype)
        for real, fake in ((confident, fooled), (fooled, confident)):
            got = check_loss(solution.discriminator_loss(real, fake), dtype, "discriminator_loss")
            assert_close(
                got, trusted_d_loss(real, fake), **tol, what=f"discriminator_loss, {dtype}"
            )
        for fake in (confident, fooled):
            got = check_loss(solution.generator_loss(fake), dtype, "generator_loss")
            assert_close(got, trusted_g_loss(fake), **tol, what=f"generator_loss, {dtype}")


@pytest.mark.weight(1)
def test_losses_keep_the_graph_and_leave_their_inputs_unchanged(solution):
    """From logits that require grad, the losses are differentiable; inputs are not modified."""
    source = torch.Generator().manual_seed(402)
    real = _logits(source, (16, 1), torch.float32).requires_grad_()
    fake = _logits(source, (16, 1), torch.float32).requires_grad_()
    d_loss = check_loss(
        solution.discriminator_loss(real, fake), torch.float32, "discriminator_loss"
    )
    assert d_loss.requires_grad, "discriminator_loss must be differentiable (keep the graph)"
    g_loss = check_loss(solution.generator_loss(fake), torch.float32, "generator_loss")
    assert g_loss.requires_grad, "generator_loss must be differentiable (keep the graph)"
    real, fake = real.detach(), fake.detach()
    _, args, _ = inspect_call(solution.discriminator_loss, real.clone(), fake.clone())
    assert_unchanged([real, fake], args, what="discriminator_loss's logits")
    _, args, _ = inspect_call(solution.generator_loss, fake.clone())
    assert_unchanged([fake], args, what="generator_loss's logits")


@pytest.mark.weight(3)
def test_one_training_step_matches_alternating_sgd_in_float64(solution, tolerances):
    """The discriminator steps first; the generator then steps against the updated one."""
    tol = _tolerance(tolerances, torch.float64)
    for seed, n, lr_d, lr_g in ((0, 64, 0.05, 0.05), (1, 32, 0.2, 0.03), (2, 5, 0.01, 0.3)):
        source = torch.Generator().manual_seed(500 + seed)
        generator, discriminator = make_pair(seed, dtype=torch.float64)
        real, z = batch(source, n, dtype=torch.float64)
        result = check_step_result(
            solution.train_step(generator, discriminator, real, z, lr_d=lr_d, lr_g=lr_g),
            generator,
            discriminator,
        )
        d_loss, g_loss = trusted_step(generator, discriminator, real, z, lr_d=lr_d, lr_g=lr_g)
        where = f"seed={seed}, n={n}, lr_d={lr_d}, lr_g={lr_g}"
        assert_close(result["d_loss"], d_loss, **tol, what=f"d_loss (before the update), {where}")
        assert_close(result["g_loss"], g_loss, **tol, what=f"g_loss (before the update), {where}")
        assert_state_close(
            result["discriminator"], discriminator, **tol, what=f"discriminator, {where}"
        )
        assert_state_close(result["generator"], generator, **tol, what=f"generator, {where}")


@pytest.mark.weight(1)
def test_one_training_step_matches_alternating_sgd_in_float32(solution, tolerances):
    """The same step with float32 networks and data; the default learning rates."""
    tol = _tolerance(tolerances, torch.float32)
    for seed in (3, 4):
        source = torch.Generator().manual_seed(510 + seed)
        generator, discriminator = make_pair(seed, z_dim=3, hidden=8)
        real, z = batch(source, 48, z_dim=3)
        result = check_step_result(
            solution.train_step(generator, discriminator, real, z), generator, discriminator
        )
        d_loss, g_loss = trusted_step(generator, discriminator, real, z, lr_d=0.05, lr_g=0.05)
        assert_close(result["d_loss"], d_loss, **tol, what=f"d_loss, seed={seed}")
        assert_close(result["g_loss"], g_loss, **tol, what=f"g_loss, seed={seed}")
        assert_state_close(result["discriminator"], discriminator, **tol, what="discriminator")
        assert_state_close(result["generator"], generator, **tol, what="generator")


@pytest.mark.weight(1)
def test_each_update_lowers_the_loss_it_descends(solution):
    """Small steps: the discriminator's update lowers d_loss, the generator's lowers g_loss."""
    for seed in range(5):
        source = torch.Generator().manual_seed(520 + seed)
        generator, discriminator = make_pair(seed, dtype=torch.float64)
        real, z = batch(source, 64, dtype=torch.float64)
        result = check_step_result(
            solution.train_step(
                copy.deepcopy(generator),
                copy.deepcopy(discriminator),
                real,
                z,
                lr_d=0.01,
                lr_g=0.01,
            ),
            generator,
            discriminator,
        )
        new_discriminator, new_generator = copy.deepcopy(discriminator), copy.deepcopy(generator)
        new_discriminator.load_state_dict(result["discriminator"])
        new_generator.load_state_dict(result["generator"])
        with torch.no_grad():
            fake = generator(z)
            before = trusted_d_loss(discriminator(real), discriminator(fake))
            after = trusted_d_loss(new_discriminator(real), new_discriminator(fake))
            assert after < before, f"seed={seed}: the discriminator's step raised d_loss"
            g_before = trusted_g_loss(new_discriminator(fake))
            g_after = trusted_g_loss(new_discriminator(new_generator(z)))
            assert g_after < g_before, (
                f"seed={seed}: the generator's step raised g_loss against the updated discriminator"
            )


@pytest.mark.weight(2)
@pytest.mark.timeout(10)
def test_training_moves_the_generated_mean_toward_the_data(solution):
    """80 steps on N(4, 1.25^2) data: the generated mean covers at least half the distance."""
    for seed in range(2):
        source = torch.Generator().manual_seed(600 + seed)
        generator, discriminator = make_pair(seed)
        z_eval = torch.randn(2000, 2, generator=source)
        with torch.no_grad():
            start = generator(z_eval).mean().item()
        means = []
        for _ in range(80):
            real, z = batch(source, 64)
            result = solution.train_step(generator, discriminator, real, z, lr_d=0.1, lr_g=0.1)
            result = check_step_result(result, generator, discriminator)
            generator.load_state_dict(result["generator"])
            discriminator.load_state_dict(result["discriminator"])
            with torch.no_grad():
                means.append(generator(z_eval).mean().item())
        end = float(np.mean(means[-20:]))
        progress = 1.0 - abs(end - DATA_MEAN) / abs(start - DATA_MEAN)
        assert progress >= 0.5, (
            f"seed={seed}: the generated mean went from {start:.2f} to {end:.2f} "
            f"(averaged over the last 20 steps); the data's mean is {DATA_MEAN}"
        )


@pytest.mark.weight(1)
def test_rejects_empty_logits_and_negative_learning_rates(solution):
    """ValueError for empty logits and for a negative learning rate."""
    empty, some = torch.zeros(0), torch.zeros(3)
    for call in (
        lambda: solution.discriminator_loss(empty, some),
        lambda: solution.discriminator_loss(some, empty),
        lambda: solution.generator_loss(empty),
    ):
        with pytest.raises(ValueError):
            call()
    generator, discriminator = make_pair(0)
    real, z = batch(torch.Generator().manual_seed(0), 8)
    for lr_d, lr_g in ((-0.1, 0.1), (0.1, -0.1)):
        with pytest.raises(ValueError):
            solution.train_step(generator, discriminator, real, z, lr_d=lr_d, lr_g=lr_g)
