"""Wrong: steps against the gradient (minus alpha * sign), which helps the model."""

import math
import numbers

import torch
import torch.nn.functional as F


def _real(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    return float(value)


def _check_batch(x, y):
    if not isinstance(x, torch.Tensor) or not x.is_floating_point() or x.ndim < 1:
        raise ValueError("x must be a floating-point tensor with a batch dimension")
    if not isinstance(y, torch.Tensor) or y.ndim != 1 or y.is_floating_point() or y.is_complex():
        raise ValueError("y must be a 1-D tensor of integer class labels")
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"x has {x.shape[0]} samples but y has {y.shape[0]} labels")


class PGD:
    def __init__(
        self,
        model,
        epsilon,
        alpha,
        steps,
        *,
        random_start=True,
        clip_min=0.0,
        clip_max=1.0,
        seed=None,
    ):
        self.epsilon = _real(epsilon, "epsilon")
        self.alpha = _real(alpha, "alpha")
        for name, value in (("epsilon", self.epsilon), ("alpha", self.alpha)):
            if not 0.0 <= value < math.inf:
                raise ValueError(f"{name} must be finite and >= 0, got {value!r}")
        if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
            raise ValueError(f"steps must be an integer >= 0, got {steps!r}")
        self.steps = int(steps)
        self.clip_min = _real(clip_min, "clip_min")
        self.clip_max = _real(clip_max, "clip_max")
        if self.clip_min > self.clip_max:
            raise ValueError(f"clip_min ({clip_min}) must not exceed clip_max ({clip_max})")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"seed must be an integer or None, got {seed!r}")
        self.model = model
        self.random_start = bool(random_start)
        self.generator = torch.Generator()
        if seed is None:
            self.generator.seed()
        else:
            self.generator.manual_seed(int(seed))

    def _gradient_sign(self, x_adv, y):
        leaf = x_adv.detach().requires_grad_(True)
        loss = F.cross_entropy(self.model(leaf), y, reduction="sum")
        (grad,) = torch.autograd.grad(loss, leaf)
        return grad.sign()

    def __call__(self, x, y):
        _check_batch(x, y)
        x, y = x.detach(), y.long()
        x_adv = x.clone()
        if self.random_start:
            uniform = torch.rand(x.shape, generator=self.generator, dtype=x.dtype)
            x_adv = (x + self.epsilon * (2.0 * uniform - 1.0)).clamp(self.clip_min, self.clip_max)
        for _ in range(self.steps):
            stepped = x_adv - self.alpha * self._gradient_sign(x_adv, y)
            delta = (stepped - x).clamp(-self.epsilon, self.epsilon)
            x_adv = (x + delta).clamp(self.clip_min, self.clip_max)
        return x_adv
