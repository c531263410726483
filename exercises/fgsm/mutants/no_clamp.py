"""Wrong: forgets the clamp to [clip_min, clip_max]."""

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


class FGSM:
    def __init__(self, model, epsilon, *, clip_min=0.0, clip_max=1.0):
        self.epsilon = _real(epsilon, "epsilon")
        if not 0.0 <= self.epsilon < math.inf:
            raise ValueError(f"epsilon must be finite and >= 0, got {epsilon!r}")
        self.clip_min = _real(clip_min, "clip_min")
        self.clip_max = _real(clip_max, "clip_max")
        if self.clip_min > self.clip_max:
            raise ValueError(f"clip_min ({clip_min}) must not exceed clip_max ({clip_max})")
        self.model = model

    def __call__(self, x, y):
        _check_batch(x, y)
        leaf = x.detach().clone().requires_grad_(True)
        # A sum, not a mean: same sign, and no gradient shrinks towards zero with the batch size.
        loss = F.cross_entropy(self.model(leaf), y.long(), reduction="sum")
        # autograd.grad rather than backward(): no gradients pile up in the model's parameters.
        (grad,) = torch.autograd.grad(loss, leaf)
        adversarial = x.detach() + self.epsilon * grad.sign()
        return adversarial
