import numpy as np


def step_lr(base_lr, num_steps, *, step_size, gamma=0.1):
    """Return the learning rate of steps 0 .. num_steps - 1 under StepLR.

    base_lr: a number (result shape (num_steps,)) or a 1-D array of per-group rates
    (result shape (num_steps, g)). See the statement for the formula and the errors to raise.
    """
    raise NotImplementedError("implement step_lr")


def exponential_lr(base_lr, num_steps, *, gamma):
    """Return the learning rate of steps 0 .. num_steps - 1 under ExponentialLR."""
    raise NotImplementedError("implement exponential_lr")


def warmup_cosine_lr(base_lr, num_steps, *, warmup_steps, total_steps, start_factor=1.0 / 3, eta_min=0.0):
    """Return the learning rate of steps 0 .. num_steps - 1: linear warmup, then cosine annealing."""
    raise NotImplementedError("implement warmup_cosine_lr")
