import torch


def discriminator_loss(real_logits, fake_logits):
    """Return the discriminator's loss, a 0-d tensor: BCE(real, 1) + BCE(fake, 0), from logits."""
    raise NotImplementedError("implement discriminator_loss")


def generator_loss(fake_logits):
    """Return the non-saturating generator loss, a 0-d tensor: -mean(log(sigmoid(fake)))."""
    raise NotImplementedError("implement generator_loss")


def train_step(generator, discriminator, real, z, *, lr_d=0.05, lr_g=0.05):
    """One alternating SGD step: the discriminator first, then the generator.

    Returns {"d_loss": float, "g_loss": float, "generator": state_dict,
    "discriminator": state_dict}; see the statement for the exact order.
    """
    raise NotImplementedError("implement train_step")
