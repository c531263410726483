import torch


class PGD:
    """Untargeted L-infinity projected gradient descent (Madry et al.) with a random start.

    model: a torch.nn.Module mapping a batch x to logits of shape (n, classes).
    epsilon: radius of the L-infinity ball around x; alpha: step size; steps: iterations.
    random_start: start from a uniform random point of the ball, drawn from a torch.Generator
    seeded with `seed`. See the statement for the exact contract.
    """

    def __init__(
        self,
        model,
        epsilon,
        alpha,
        steps,
        *,
        random_start=True,
        clip_min=0.0,
        clip_max=1.0,
        seed=None,
    ):
        raise NotImplementedError("implement PGD.__init__")

    def __call__(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Return the adversarial examples for the batch x with true labels y."""
        raise NotImplementedError("implement PGD.__call__")
