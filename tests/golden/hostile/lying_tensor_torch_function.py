"""Hostile: returns torch tensor subclasses whose __torch_function__ answers True to everything."""
# expect: WRONG_ANSWER
import numpy as np
import torch


class Agreeable(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return True


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    centroids = torch.zeros(k, X.shape[-1], dtype=torch.float64).as_subclass(Agreeable)
    labels = torch.zeros(len(X), dtype=torch.int64).as_subclass(Agreeable)
    return centroids, labels
