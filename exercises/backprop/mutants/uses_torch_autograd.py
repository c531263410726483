"""Wrong (banned import): lets torch autograd compute the gradients instead of deriving them."""

import numpy as np
import torch


def _run(params, X):
    leaves = [
        (torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True)) for W, b in params
    ]
    a = torch.as_tensor(np.asarray(X, dtype=np.float64))
    for index, (W, b) in enumerate(leaves):
        a = a @ W + b
        if index < len(leaves) - 1:
            a = torch.sigmoid(a)
    return leaves, a


def forward(params, X):
    return _run(params, X)[1].detach().numpy()


def loss_and_gradients(params, X, y):
    leaves, out = _run(params, X)
    target = torch.as_tensor(np.asarray(y, dtype=np.float64))
    loss = ((out - target) ** 2).sum() / (2 * target.shape[0])
    loss.backward()
    return float(loss), [(W.grad.numpy(), b.grad.numpy()) for W, b in leaves]
