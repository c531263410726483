import numpy as np


def magnitude_masks(weights, sparsity, *, scope="global", masks=None):
    """Return {name: bool mask} keeping all but the round(sparsity * n) smallest-|w| candidates.

    scope: "global" (all layers compete) or "layer" (each layer on its own). masks: None or an
    earlier result; then only the weights it keeps are candidates. Ties go by position (see the
    statement).
    """
    raise NotImplementedError("implement magnitude_masks")
