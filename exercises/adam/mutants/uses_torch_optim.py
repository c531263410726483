"""Wrong (banned import): lets torch.optim.Adam / AdamW do the step."""

import numpy as np
import torch


def _step(kind, params, grads, state, **hyper):
    if len(params) != len(grads):
        raise ValueError("params and grads differ in length")
    leaves = [torch.tensor(np.asarray(p, dtype=np.float64), requires_grad=True) for p in params]
    optimizer = kind(leaves, **hyper)
    for i, leaf in enumerate(leaves):
        leaf.grad = torch.tensor(np.asarray(grads[i], dtype=np.float64))
        if leaf.grad.shape != leaf.shape:
            raise ValueError("a gradient's shape differs from its parameter's")
        if state is not None:
            optimizer.state[leaf] = {
                "step": torch.tensor(float(state["step"])),
                "exp_avg": torch.tensor(state["exp_avg"][i]),
                "exp_avg_sq": torch.tensor(state["exp_avg_sq"][i]),
            }
    optimizer.step()
    step = (state["step"] if state is not None else 0) + 1
    return [leaf.detach().numpy() for leaf in leaves], {
        "step": step,
        "exp_avg": [optimizer.state[leaf]["exp_avg"].numpy() for leaf in leaves],
        "exp_avg_sq": [optimizer.state[leaf]["exp_avg_sq"].numpy() for leaf in leaves],
    }


def adam_step(params, grads, state=None, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    return _step(torch.optim.Adam, params, grads, state, lr=lr, betas=betas, eps=eps,
                 weight_decay=weight_decay)


def adamw_step(params, grads, state=None, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    return _step(torch.optim.AdamW, params, grads, state, lr=lr, betas=betas, eps=eps,
                 weight_decay=weight_decay)
