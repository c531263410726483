"""Data, the trusted torch.optim run, and checks shared by the hidden Adam tests (checker only)."""

import numpy as np
import torch

from graders.checks import assert_close

SHAPES = [(3, 4), (5,), (), (2, 3, 2), (1,)]


def random_params(rng, shapes=SHAPES):
    return [rng.normal(size=shape) for shape in shapes]


def random_grads(rng, params, steps, *, scale=1.0):
    """One list of gradients per step; each parameter gets its own gradient scale."""
    scales = [scale * 10.0 ** rng.uniform(-2, 1) for _ in params]
    return [
        [s * rng.normal(size=np.shape(p)) for s, p in zip(scales, params, strict=True)]
        for _ in range(steps)
    ]


def torch_trajectory(kind, params, grad_steps, state=None, **hyper):
    """[(params, state)] after each torch.optim.Adam / AdamW step, in the contract's format.

    `state` (the contract's format) seeds the optimizer as if it had already taken that many steps.
    """
    leaves = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params]
    optimizer = {"adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[kind](leaves, **hyper)
    if state is not None:
        for i, leaf in enumerate(leaves):
            optimizer.state[leaf] = {
                "step": torch.tensor(float(state["step"])),
                "exp_avg": torch.tensor(state["exp_avg"][i], dtype=torch.float64),
                "exp_avg_sq": torch.tensor(state["exp_avg_sq"][i], dtype=torch.float64),
            }
    out = []
    for grads in grad_steps:
        for leaf, g in zip(leaves, grads, strict=True):
            leaf.grad = torch.tensor(g, dtype=torch.float64)
        optimizer.step()
        steps = {int(optimizer.state[leaf]["step"]) for leaf in leaves}
        assert len(steps) == 1
        out.append(
            (
                [leaf.detach().numpy().copy() for leaf in leaves],
                {
                    "step": steps.pop(),
                    "exp_avg": [optimizer.state[x]["exp_avg"].numpy().copy() for x in leaves],
                    "exp_avg_sq": [optimizer.state[x]["exp_avg_sq"].numpy().copy() for x in leaves],
                },
            )
        )
    return out


def check_arrays(got, like, *, what):
    """A list of float64 arrays shaped like `like` (a float64 scalar is fine for a 0-d one)."""
    assert isinstance(got, list), f"{what} must be a list, got {type(got).__name__}"
    assert len(got) == len(like), f"{what} must have {len(like)} arrays, got {len(got)}"
    checked = []
    for i, (g, p) in enumerate(zip(got, like, strict=True)):
        if np.shape(p) == () and isinstance(g, np.float64):
            g = np.asarray(g)
        assert isinstance(g, np.ndarray), (
            f"{what}[{i}] must be a numpy array, got {type(g).__name__}"
        )
        assert g.shape == np.shape(p), f"{what}[{i}] must have shape {np.shape(p)}, got {g.shape}"
        assert g.dtype == np.float64, f"{what}[{i}] must be float64, got {g.dtype}"
        checked.append(g)
    return checked


def check_result(result, params):
    """Assert (new_params, new_state) of the contract; return them with the arrays checked."""
    assert isinstance(result, tuple) and len(result) == 2, (
        "the step must return a tuple (new_params, new_state), got "
        f"{type(result).__name__}"
        + (f" of {len(result)} items" if isinstance(result, tuple) else "")
    )
    new_params, state = result
    new_params = check_arrays(new_params, params, what="new_params")
    assert isinstance(state, dict), f"new_state must be a dict, got {type(state).__name__}"
    missing = {"step", "exp_avg", "exp_avg_sq"} - set(state)
    assert not missing, f"new_state is missing {sorted(missing)}"
    step = state["step"]
    assert isinstance(step, int | np.integer) and not isinstance(step, bool), (
        f"new_state['step'] must be an int, got {type(step).__name__}"
    )
    checked = {
        "step": int(step),
        "exp_avg": check_arrays(state["exp_avg"], params, what="new_state['exp_avg']"),
        "exp_avg_sq": check_arrays(state["exp_avg_sq"], params, what="new_state['exp_avg_sq']"),
    }
    return new_params, checked


def assert_params_close(got, expected, tolerances, *, where):
    for i, (g, e) in enumerate(zip(got, expected, strict=True)):
        assert_close(
            g, e, rtol=tolerances["rtol"], atol=tolerances["atol"], what=f"{where}: params[{i}]"
        )


def assert_state_close(got, expected, tolerances, *, where):
    assert got["step"] == expected["step"], (
        f"{where}: state['step'] must be {expected['step']}, got {got['step']}"
    )
    for key in ("exp_avg", "exp_avg_sq"):
        for i, (g, e) in enumerate(zip(got[key], expected[key], strict=True)):
            assert_close(
                g,
                e,
                rtol=tolerances["rtol"],
                atol=tolerances["atol"],
                what=f"{where}: state[{key!r}][{i}]",
            )


def run_and_compare(step_fn, kind, params, grad_steps, tolerances, *, state=None, label, **hyper):
    """Chain the candidate's steps and compare params and state with torch after every step."""
    expected = torch_trajectory(kind, params, grad_steps, state, **hyper)
    current = params
    for t, (grads, (exp_params, exp_state)) in enumerate(zip(grad_steps, expected, strict=True)):
        where = f"{label}, step {t + 1} of {len(grad_steps)}"
        current, state = check_result(step_fn(current, grads, state, **hyper), params)
        assert_params_close(current, exp_params, tolerances, where=where)
        assert_state_close(state, exp_state, tolerances, where=where)
