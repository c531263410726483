"""Wrong (banned import): calls torch.nn.functional.cross_entropy and autograd."""

import numpy as np
import torch


def log_softmax(logits):
    z = torch.tensor(np.asarray(logits, dtype=np.float64))
    if z.ndim == 0 or not torch.isfinite(z).all():
        raise ValueError("bad logits")
    return torch.log_softmax(z, dim=-1).numpy()


def softmax_cross_entropy(logits, targets, *, label_smoothing=0.0, reduction="mean"):
    z = torch.tensor(np.asarray(logits, dtype=np.float64), requires_grad=True)
    t = np.asarray(targets)
    if z.ndim != 2 or t.dtype.kind not in "iu" or not torch.isfinite(z).all():
        raise ValueError("bad input")
    if not 0.0 <= label_smoothing <= 1.0 or reduction not in ("mean", "sum"):
        raise ValueError("bad option")
    loss = torch.nn.functional.cross_entropy(
        z, torch.as_tensor(t.astype(np.int64)), label_smoothing=label_smoothing, reduction=reduction
    )
    loss.backward()
    return float(loss), z.grad.numpy()
