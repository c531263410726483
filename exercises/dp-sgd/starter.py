import numpy as np


def clip_per_sample(per_sample_grads, max_norm):
    """Clip every sample's gradient (all tensors jointly) to L2 norm <= max_norm.

    per_sample_grads: a list of arrays, one per parameter tensor, each of shape (B, *shape).
    Returns (clipped, norms): the clipped list (same shapes) and the (B,) norms before clipping.
    """
    raise NotImplementedError("implement clip_per_sample")


def privatize(per_sample_grads, *, max_norm, noise_multiplier, rng):
    """Return the noisy mean gradient: one array per tensor, of shape `shape`.

    (sum of clipped gradients + N(0, (noise_multiplier * max_norm)^2) noise) / B, the noise
    drawn from np.random.default_rng(rng) tensor by tensor, in order.
    """
    raise NotImplementedError("implement privatize")


def dp_sgd_step(params, per_sample_grads, *, lr, max_norm, noise_multiplier, rng):
    """Return the new params: params[k] - lr * privatize(...)[k], as new arrays."""
    raise NotImplementedError("implement dp_sgd_step")
