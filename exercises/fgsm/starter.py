import torch


class FGSM:
    """Untargeted fast gradient sign method (L-infinity) against a classifier.

    model: a torch.nn.Module mapping a batch x to logits of shape (n, classes).
    epsilon: the step size (a real number >= 0); clip_min <= clip_max: the valid input range.
    See the statement for the exact contract (errors, dtypes, what must not change).
    """

    def __init__(self, model, epsilon, *, clip_min=0.0, clip_max=1.0):
        raise NotImplementedError("implement FGSM.__init__")

    def __call__(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Return the adversarial examples for the batch x with true labels y."""
        raise NotImplementedError("implement FGSM.__call__")
