"""Wrong: steps the discriminator with lr_g and the generator with lr_d."""

import torch
import torch.nn.functional as F


def _check_logits(logits, name):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise ValueError(f"{name} must be a floating-point tensor")
    if logits.numel() == 0:
        raise ValueError(f"{name} is empty")


def discriminator_loss(real_logits, fake_logits):
    _check_logits(real_logits, "real_logits")
    _check_logits(fake_logits, "fake_logits")
    # -log(sigmoid(x)) = softplus(-x) and -log(1 - sigmoid(x)) = softplus(x), exact for any x.
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def generator_loss(fake_logits):
    _check_logits(fake_logits, "fake_logits")
    return F.softplus(-fake_logits).mean()


def _sgd(params, loss, lr):
    grads = torch.autograd.grad(loss, params)
    with torch.no_grad():
        for param, grad in zip(params, grads, strict=True):
            param -= lr * grad


def train_step(generator, discriminator, real, z, *, lr_d=0.05, lr_g=0.05):
    if lr_d < 0 or lr_g < 0:
        raise ValueError(f"learning rates must be >= 0, got lr_d={lr_d}, lr_g={lr_g}")
    d_params = list(discriminator.parameters())
    g_params = list(generator.parameters())
    fake = generator(z).detach()
    d_loss = discriminator_loss(discriminator(real), discriminator(fake))
    _sgd(d_params, d_loss, lr_g)
    g_loss = generator_loss(discriminator(generator(z)))
    _sgd(g_params, g_loss, lr_d)
    return {
        "d_loss": float(d_loss.detach()),
        "g_loss": float(g_loss.detach()),
        "generator": generator.state_dict(),
        "discriminator": discriminator.state_dict(),
    }
