"""Wrong: trains for a single epoch (21 steps): far from the accuracy floor."""

import torch
import torch.nn.functional as F
from torch import nn

EPOCHS = 1
BATCH_SIZE = 64


def _check_images(images):
    if not isinstance(images, torch.Tensor) or not images.is_floating_point():
        raise ValueError("images must be a floating-point tensor")
    if images.ndim != 3 or images.shape[1:] != (8, 8):
        raise ValueError(f"images must have shape (n, 8, 8), got {tuple(images.shape)}")


def _network():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1),
        nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 4 * 4, 64),
        nn.ReLU(),
        nn.Linear(64, 10),
    )


class DigitsCNN:
    def __init__(self, seed=0):
        self.seed = seed
        self.network = None

    def fit(self, images, labels):
        _check_images(images)
        if not isinstance(labels, torch.Tensor) or labels.dtype != torch.int64 or labels.ndim != 1:
            raise ValueError("labels must be a 1-D int64 tensor")
        if labels.shape[0] != images.shape[0] or images.shape[0] == 0:
            raise ValueError("images and labels must have the same, nonzero, length")
        if labels.min() < 0 or labels.max() > 9:
            raise ValueError("labels must be in 0..9")
        torch.manual_seed(self.seed)
        generator = torch.Generator().manual_seed(self.seed)
        network = _network()
        optimizer = torch.optim.Adam(network.parameters(), lr=2e-3)
        x = (images / 16.0).unsqueeze(1)
        for _ in range(EPOCHS):
            for batch in torch.randperm(len(labels), generator=generator).split(BATCH_SIZE):
                optimizer.zero_grad()
                F.cross_entropy(network(x[batch]), labels[batch]).backward()
                optimizer.step()
        self.network = network.eval()

    def predict_proba(self, images):
        if self.network is None:
            raise ValueError("call fit before predicting")
        _check_images(images)
        with torch.no_grad():
            return torch.softmax(self.network((images / 16.0).unsqueeze(1)), dim=1)

    def predict(self, images):
        return self.predict_proba(images).argmax(dim=1)
