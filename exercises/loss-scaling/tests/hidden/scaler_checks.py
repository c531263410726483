"""Trusted references (torch.amp.GradScaler on CPU, the documented rule) and checks shared by
the hidden loss-scaling tests (checker only)."""

import math

import numpy as np
import torch

from graders.checks import assert_close

FP16_MAX = 65504.0


def rule_trajectory(found_infs, *, init_scale, growth_factor, backoff_factor, growth_interval):
    """[(scale, tracker)] after each update, by GradScaler's documented rule in float64."""
    scale, tracker, out = float(init_scale), 0, []
    for found_inf in found_infs:
        if found_inf:
            scale, tracker = scale * backoff_factor, 0
        else:
            tracker += 1
            if tracker == growth_interval:
                grown = scale * growth_factor
                scale = grown if math.isfinite(grown) else scale
                tracker = 0
        out.append((scale, tracker))
    return out


class TorchTrainer:
    """torch.optim.SGD in float64 driven by torch.amp.GradScaler on CPU, one iteration a call."""

    def __init__(self, params, lr, **config):
        self.leaves = [
            torch.nn.Parameter(torch.tensor(np.asarray(p, dtype=np.float64))) for p in params
        ]
        self.optimizer = torch.optim.SGD(self.leaves, lr=lr)
        self.scaler = torch.amp.GradScaler("cpu", **config)
        self.scaler.scale(torch.tensor(1.0))  # the scale tensor is created lazily

    def get_scale(self):
        return self.scaler.get_scale()

    def step(self, scaled_grads):
        """(params, skipped, scale, tracker) after one iteration on these scaled gradients."""
        self.scaler.scale(torch.tensor(1.0))
        for leaf, g in zip(self.leaves, scaled_grads, strict=True):
            leaf.grad = torch.tensor(np.asarray(g, dtype=np.float64))
        self.scaler.step(self.optimizer)
        state = self.scaler._per_optimizer_states[id(self.optimizer)]
        skipped = sum(v.item() for v in state["found_inf_per_device"].values()) > 0
        self.scaler.update()
        params = [leaf.detach().numpy().copy() for leaf in self.leaves]
        return params, skipped, self.scaler.get_scale(), self.scaler._get_growth_tracker()


def scaled_fp16_grads(rng, shapes, scale, *, nan=False):
    """True gradients of random magnitudes times `scale`, cast to float16 (overflow -> inf)."""
    magnitude = 10.0 ** rng.uniform(-4, 0.5)
    with np.errstate(over="ignore"):
        grads = [(magnitude * scale * rng.normal(size=s)).astype(np.float16) for s in shapes]
    if nan:
        grads[-1].reshape(-1)[0] = np.nan
    return grads


def check_array_list(got, like, *, what, finite=True):
    """A list of float64 arrays shaped like `like` (a float64 scalar is fine for a 0-d one)."""
    assert isinstance(got, list), f"{what} must be a list, got {type(got).__name__}"
    assert len(got) == len(like), f"{what} must hold {len(like)} arrays, got {len(got)}"
    checked = []
    for i, (g, p) in enumerate(zip(got, like, strict=True)):
        if np.shape(p) == () and isinstance(g, np.float64):
            g = np.asarray(g)
        assert isinstance(g, np.ndarray), f"{what}[{i}] must be a numpy array, got {type(g)}"
        assert g.shape == np.shape(p), f"{what}[{i}] must have shape {np.shape(p)}, got {g.shape}"
        assert g.dtype == np.float64, f"{what}[{i}] must be float64, got {g.dtype}"
        if finite:
            assert np.isfinite(g).all(), f"{what}[{i}] has NaN or infinite values"
        checked.append(g)
    return checked


def check_pair(result, like, *, what, finite=True):
    """(list of arrays, bool), as unscale and step return."""
    assert isinstance(result, tuple) and len(result) == 2, (
        f"{what} must return a tuple of 2 items, got {type(result).__name__}"
    )
    arrays, flag = result
    assert isinstance(flag, bool | np.bool_), (
        f"{what}: the flag must be a bool, got {type(flag).__name__}"
    )
    return check_array_list(arrays, like, what=what, finite=finite), bool(flag)


def check_state(scaler, scale, tracker, tolerances, *, where):
    got_scale = scaler.get_scale()
    assert isinstance(got_scale, float), (
        f"get_scale() must return a float, got {type(got_scale).__name__}"
    )
    assert_close(got_scale, scale, rtol=tolerances["rtol"], atol=0.0, what=f"{where}: the scale")
    got_tracker = scaler.get_growth_tracker()
    assert isinstance(got_tracker, int | np.integer) and not isinstance(got_tracker, bool), (
        f"get_growth_tracker() must return an int, got {type(got_tracker).__name__}"
    )
    assert got_tracker == tracker, (
        f"{where}: the growth tracker must be {tracker}, got {got_tracker}"
    )
