"""Wrong: the bias corrections use t + 1 but the returned state keeps the old step count."""

import math

import numpy as np


def _hyperparameters(lr, betas, eps, weight_decay):
    try:
        beta1, beta2 = (float(b) for b in betas)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"betas must be a pair of floats, got {betas!r}") from exc
    if not lr >= 0.0:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not eps >= 0.0:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= beta1 < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {beta1}")
    if not 0.0 <= beta2 < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {beta2}")
    if not weight_decay >= 0.0:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")
    return float(lr), beta1, beta2, float(eps), float(weight_decay)


def _arrays(params, grads, state):
    """(params, grads, step, exp_avg, exp_avg_sq) as float64 arrays, after checking shapes."""
    params = [np.asarray(p, dtype=np.float64) for p in params]
    grads = [np.asarray(g, dtype=np.float64) for g in grads]
    if len(params) != len(grads):
        raise ValueError(f"got {len(params)} parameters but {len(grads)} gradients")
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        if p.shape != g.shape:
            raise ValueError(f"grads[{i}] has shape {g.shape}, params[{i}] has shape {p.shape}")
    if state is None:
        return (
            params,
            grads,
            0,
            [np.zeros_like(p) for p in params],
            [np.zeros_like(p) for p in params],
        )
    moments = []
    for key in ("exp_avg", "exp_avg_sq"):
        arrays = [np.asarray(a, dtype=np.float64) for a in state[key]]
        if len(arrays) != len(params) or any(
            a.shape != p.shape for a, p in zip(arrays, params, strict=True)
        ):
            raise ValueError(f"state[{key!r}] must hold one array per parameter, of its shape")
        moments.append(arrays)
    return params, grads, int(state["step"]), moments[0], moments[1]


def _step(params, grads, state, lr, betas, eps, weight_decay, *, decoupled):
    lr, beta1, beta2, eps, weight_decay = _hyperparameters(lr, betas, eps, weight_decay)
    params, grads, step, exp_avgs, exp_avg_sqs = _arrays(params, grads, state)
    step += 1
    step_size = lr / (1.0 - beta1**step)
    bias_correction2_sqrt = math.sqrt(1.0 - beta2**step)
    new_params, new_avgs, new_avg_sqs = [], [], []
    for p, g, m, v in zip(params, grads, exp_avgs, exp_avg_sqs, strict=True):
        if decoupled:
            p = p * (1.0 - lr * weight_decay)
        elif weight_decay != 0.0:
            g = g + weight_decay * p
        m = beta1 * m + (1.0 - beta1) * g
        v = beta2 * v + (1.0 - beta2) * (g * g)
        denom = np.sqrt(v)
        denom /= bias_correction2_sqrt
        denom += eps
        update = m / denom
        update *= step_size
        new_params.append(np.asarray(p - update))
        new_avgs.append(np.asarray(m))
        new_avg_sqs.append(np.asarray(v))
    return new_params, {"step": step - 1, "exp_avg": new_avgs, "exp_avg_sq": new_avg_sqs}


def adam_step(
    params, grads, state=None, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0
):
    return _step(params, grads, state, lr, betas, eps, weight_decay, decoupled=False)


def adamw_step(
    params, grads, state=None, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2
):
    return _step(params, grads, state, lr, betas, eps, weight_decay, decoupled=True)
