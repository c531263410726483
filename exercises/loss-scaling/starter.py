import numpy as np


class DynamicLossScaler:
    """A dynamic loss scaler with torch.amp.GradScaler's update rule (see the statement)."""

    def __init__(self, init_scale=65536.0, growth_factor=2.0, backoff_factor=0.5, growth_interval=2000):
        raise NotImplementedError("implement DynamicLossScaler")

    def get_scale(self):
        """Return the current scale, a float."""
        raise NotImplementedError

    def get_growth_tracker(self):
        """Return the number of consecutive iterations without overflow since the last change."""
        raise NotImplementedError

    def scale_loss(self, loss):
        """Return loss * scale."""
        raise NotImplementedError

    def unscale(self, grads):
        """Return (unscaled float64 gradients, found_inf) without changing the state."""
        raise NotImplementedError

    def update(self, found_inf):
        """Back off on overflow; grow after growth_interval clean iterations."""
        raise NotImplementedError

    def step(self, params, scaled_grads, lr):
        """One SGD iteration: unscale, skip or step, update. Return (new_params, skipped)."""
        raise NotImplementedError
