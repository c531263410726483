"""Wrong (banned import): delegates the loss and its gradient to torch."""

import numpy as np
import torch
import torch.nn.functional as F


def balanced_class_weights(y, *, n_classes=None):
    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0 or y.dtype.kind not in "iu" or y.min() < 0:
        raise ValueError("bad labels")
    k = int(y.max()) + 1 if n_classes is None else n_classes
    counts = np.bincount(y, minlength=k)
    if len(counts) != k or not counts.all():
        raise ValueError("a class has no sample")
    return y.size / (k * counts.astype(np.float64))


def _torch_loss(logits, targets, weights, reduction):
    z = torch.tensor(np.asarray(logits, dtype=np.float64), requires_grad=True)
    t = torch.tensor(np.asarray(targets), dtype=torch.long)
    w = None if weights is None else torch.tensor(np.asarray(weights, dtype=np.float64))
    return z, F.cross_entropy(z, t, weight=w, reduction=reduction)


def weighted_cross_entropy(logits, targets, weights=None, *, reduction="mean"):
    _, loss = _torch_loss(logits, targets, weights, reduction)
    return loss.detach().numpy() if reduction == "none" else float(loss)


def weighted_cross_entropy_grad(logits, targets, weights=None, *, reduction="mean"):
    z, loss = _torch_loss(logits, targets, weights, reduction)
    loss.backward()
    return z.grad.numpy()
