"""Wrong: the cosine's amplitude is base_lr instead of base_lr - eta_min (it starts above base_lr)."""

import numpy as np


def _base(base_lr):
    base = np.asarray(base_lr, dtype=np.float64)
    if base.ndim > 1:
        raise ValueError(f"base_lr must be a number or a 1-D array, got {base.ndim} dimensions")
    if np.any(base < 0) or np.any(np.isnan(base)):
        raise ValueError(f"base_lr must be non-negative, got {base_lr!r}")
    return base


def _steps(num_steps):
    if num_steps < 0:
        raise ValueError(f"num_steps must be >= 0, got {num_steps}")
    return np.arange(num_steps)


def _per_group(factor, base):
    """Scale the schedule's factor (num_steps,) by each group's base rate."""
    return np.multiply.outer(factor, base)


def step_lr(base_lr, num_steps, *, step_size, gamma=0.1):
    base, t = _base(base_lr), _steps(num_steps)
    if step_size < 1:
        raise ValueError(f"step_size must be a positive integer, got {step_size}")
    if not gamma > 0:
        raise ValueError(f"gamma must be > 0, got {gamma}")
    return _per_group(float(gamma) ** (t // step_size), base)


def exponential_lr(base_lr, num_steps, *, gamma):
    base, t = _base(base_lr), _steps(num_steps)
    if not gamma > 0:
        raise ValueError(f"gamma must be > 0, got {gamma}")
    return _per_group(float(gamma) ** t, base)


def warmup_cosine_lr(
    base_lr, num_steps, *, warmup_steps, total_steps, start_factor=1.0 / 3, eta_min=0.0
):
    base, t = _base(base_lr), _steps(num_steps)
    if warmup_steps < 0:
        raise ValueError(f"warmup_steps must be >= 0, got {warmup_steps}")
    if total_steps <= warmup_steps:
        raise ValueError(f"total_steps ({total_steps}) must exceed warmup_steps ({warmup_steps})")
    if not 0 < start_factor <= 1:
        raise ValueError(f"start_factor must be in (0, 1], got {start_factor}")
    if not eta_min >= 0:
        raise ValueError(f"eta_min must be >= 0, got {eta_min}")
    warmup = start_factor + (1.0 - start_factor) * t / max(warmup_steps, 1)
    cosine = 0.5 * (1.0 + np.cos(np.pi * (t - warmup_steps) / (total_steps - warmup_steps)))
    in_warmup = (t < warmup_steps)[:, None] if base.ndim else t < warmup_steps
    return np.where(
        in_warmup, _per_group(warmup, base), eta_min + _per_group(cosine, base)
    )
