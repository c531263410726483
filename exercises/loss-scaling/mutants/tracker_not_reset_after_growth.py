"""Wrong: after growing, the tracker is not reset, so it never reaches growth_interval again until an overflow."""

import math
import numbers

import numpy as np


def _is_number(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


class DynamicLossScaler:
    def __init__(
        self, init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000
    ):
        if not _is_number(init_scale) or not (math.isfinite(init_scale) and init_scale > 0):
            raise ValueError(f"init_scale must be a finite number > 0, got {init_scale!r}")
        if not _is_number(growth_factor) or not (
            math.isfinite(growth_factor) and growth_factor > 1
        ):
            raise ValueError(f"growth_factor must be a finite number > 1, got {growth_factor!r}")
        if not _is_number(backoff_factor) or not 0 < backoff_factor < 1:
            raise ValueError(f"backoff_factor must be in (0, 1), got {backoff_factor!r}")
        if (
            isinstance(growth_interval, bool)
            or not isinstance(growth_interval, numbers.Integral)
            or growth_interval < 1
        ):
            raise ValueError(f"growth_interval must be an integer >= 1, got {growth_interval!r}")
        self._scale = float(init_scale)
        self._growth_factor = float(growth_factor)
        self._backoff_factor = float(backoff_factor)
        self._growth_interval = int(growth_interval)
        self._growth_tracker = 0

    def get_scale(self):
        return self._scale

    def get_growth_tracker(self):
        return self._growth_tracker

    def scale_loss(self, loss):
        if _is_number(loss):
            return float(loss) * self._scale
        return np.asarray(loss, dtype=np.float64) * self._scale

    def unscale(self, grads):
        unscaled = []
        found_inf = False
        with np.errstate(over="ignore", invalid="ignore"):
            for g in grads:
                u = np.asarray(np.asarray(g, dtype=np.float64) / self._scale)
                found_inf = found_inf or not bool(np.isfinite(u).all())
                unscaled.append(u)
        return unscaled, found_inf

    def update(self, found_inf):
        if found_inf:
            self._scale *= self._backoff_factor
            self._growth_tracker = 0
            return
        self._growth_tracker += 1
        if self._growth_tracker == self._growth_interval:
            grown = self._scale * self._growth_factor
            if math.isfinite(grown):
                self._scale = grown

    def step(self, params, scaled_grads, lr):
        if not lr >= 0:
            raise ValueError(f"lr must be >= 0, got {lr!r}")
        params = [np.asarray(p, dtype=np.float64) for p in params]
        if len(params) != len(scaled_grads):
            raise ValueError(f"got {len(params)} parameters but {len(scaled_grads)} gradients")
        for i, (p, g) in enumerate(zip(params, scaled_grads, strict=True)):
            if p.shape != np.shape(g):
                raise ValueError(
                    f"scaled_grads[{i}] has shape {np.shape(g)}, params[{i}] {p.shape}"
                )
        grads, found_inf = self.unscale(scaled_grads)
        if found_inf:
            new_params = [p.copy() for p in params]
        else:
            new_params = [np.asarray(p - lr * g) for p, g in zip(params, grads, strict=True)]
        self.update(found_inf)
        return new_params, found_inf
