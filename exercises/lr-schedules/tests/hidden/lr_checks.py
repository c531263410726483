"""The trusted PyTorch schedules and the checks shared by the hidden lr-schedules tests."""

import warnings

import numpy as np
import torch

from graders.checks import assert_array, assert_close

schedulers = torch.optim.lr_scheduler


def torch_lrs(make_scheduler, base_lr, num_steps):
    """The learning rates a torch scheduler gives, steps 0 .. num_steps - 1, in the contract's
    shape: one SGD parameter group per base rate."""
    bases = np.atleast_1d(np.asarray(base_lr, dtype=np.float64))
    groups = [{"params": [torch.nn.Parameter(torch.zeros(1))], "lr": float(b)} for b in bases]
    optimizer = torch.optim.SGD(groups)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SequentialLR passes an epoch to step(): deprecated
        scheduler = make_scheduler(optimizer)
        rates = []
        for _ in range(num_steps):
            rates.append([group["lr"] for group in optimizer.param_groups])
            optimizer.step()
            scheduler.step()
    rates = np.array(rates, dtype=np.float64).reshape(num_steps, len(bases))
    return rates if np.ndim(base_lr) else rates[:, 0]


def torch_step_lr(base_lr, num_steps, *, step_size, gamma=0.1):
    return torch_lrs(
        lambda o: schedulers.StepLR(o, step_size=step_size, gamma=gamma), base_lr, num_steps
    )


def torch_exponential_lr(base_lr, num_steps, *, gamma):
    return torch_lrs(lambda o: schedulers.ExponentialLR(o, gamma=gamma), base_lr, num_steps)


def torch_warmup_cosine_lr(
    base_lr, num_steps, *, warmup_steps, total_steps, start_factor=1.0 / 3, eta_min=0.0
):
    def make(optimizer):
        cosine = schedulers.CosineAnnealingLR
        if warmup_steps == 0:
            return cosine(optimizer, T_max=total_steps, eta_min=eta_min)
        warmup = schedulers.LinearLR(
            optimizer, start_factor=start_factor, end_factor=1.0, total_iters=warmup_steps
        )
        decay = cosine(optimizer, T_max=total_steps - warmup_steps, eta_min=eta_min)
        return schedulers.SequentialLR(optimizer, [warmup, decay], milestones=[warmup_steps])

    return torch_lrs(make, base_lr, num_steps)


TORCH = {
    "step_lr": torch_step_lr,
    "exponential_lr": torch_exponential_lr,
    "warmup_cosine_lr": torch_warmup_cosine_lr,
}


def check_against_torch(solution, name, base_lr, num_steps, tolerances, **kwargs):
    """Call the candidate's schedule and compare every step with the torch scheduler's."""
    expected = TORCH[name](base_lr, num_steps, **kwargs)
    call = f"{name}({base_lr!r}, {num_steps}, {', '.join(f'{k}={v!r}' for k, v in kwargs.items())})"
    got = assert_array(
        getattr(solution, name)(base_lr, num_steps, **kwargs),
        what=call,
        shape=expected.shape,
        dtype=np.float64,
    )
    assert_close(got, expected, rtol=tolerances["rtol"], atol=tolerances["atol"], what=call)
    return got
