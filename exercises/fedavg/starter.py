import numpy as np


def fedavg(client_models, client_sizes):
    """Return the sample-weighted average of the clients' models.

    client_models: a list of models, one per client; a model is a list of arrays or a dict
    name -> array, the same structure and shapes for every client.
    client_sizes: the number of training samples of each client (weights n_k / sum of n).
    The result has the clients' structure, with float64 arrays.
    """
    raise NotImplementedError("implement fedavg")


def server_update(global_model, client_models, client_sizes, *, server_lr=1.0):
    """Return global + server_lr * (fedavg(client_models, client_sizes) - global)."""
    raise NotImplementedError("implement server_update")
