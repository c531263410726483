import numpy as np


def adam_step(params, grads, state=None, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    """Return (new_params, new_state) after one Adam step (L2 weight decay added to the gradient).

    params, grads: lists of float64 arrays of matching shapes.
    state: None before the first step, else {"step": int, "exp_avg": [...], "exp_avg_sq": [...]}
    as returned by the previous call. Nothing passed in may be modified.
    See the statement for the exact update and the errors to raise.
    """
    raise NotImplementedError("implement adam_step")


def adamw_step(params, grads, state=None, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    """Return (new_params, new_state) after one AdamW step (decoupled weight decay).

    Same arguments, state format and errors as adam_step.
    """
    raise NotImplementedError("implement adamw_step")
