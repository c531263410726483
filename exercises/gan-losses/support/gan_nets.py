"""The small networks the gan-losses tests train: 1-D data, a noise vector of size z_dim.

Importable on both sides (checker and workers), so the tests can build a network, seed its
weights, and send it to `train_step` as an argument.
"""

import torch
from torch import nn


class Generator(nn.Module):
    """z (n, z_dim) -> a sample (n, 1): Linear, tanh, Linear."""

    def __init__(self, z_dim: int = 2, hidden: int = 16) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(z_dim, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(z)


class Discriminator(nn.Module):
    """x (n, 1) -> a logit (n, 1): Linear, tanh, Linear (no sigmoid: the losses take logits)."""

    def __init__(self, hidden: int = 16) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


def make_pair(seed: int, *, z_dim: int = 2, hidden: int = 16, dtype=torch.float32):
    """(generator, discriminator) with weights drawn from torch.Generator seeded by `seed`."""
    source = torch.Generator().manual_seed(seed)
    generator, discriminator = Generator(z_dim, hidden), Discriminator(hidden)
    with torch.no_grad():
        for module in (generator, discriminator):
            for param in module.parameters():
                fan_in = param.shape[-1] if param.ndim == 2 else param.shape[0]
                param.copy_(torch.randn(param.shape, generator=source) / fan_in**0.5)
    return generator.to(dtype), discriminator.to(dtype)
