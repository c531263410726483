"""The classifier the attack targets: a small MLP trained on scikit-learn's digits.

Importable by the tests and by solutions (`from digits_model import load_model, digits_split`).
`make_weights.py` trained the weights stored in `digits_mlp.npz`.
"""

from pathlib import Path

import numpy as np
import torch

WEIGHTS = Path(__file__).with_name("digits_mlp.npz")


class DigitsMLP(torch.nn.Module):
    """64 pixels in [0, 1] -> 10 logits: two ReLU hidden layers. Accepts (n, 64) or (n, 8, 8)."""

    def __init__(self, hidden=64):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(64, hidden),
            torch.nn.ReLU(),
            torch.nn.Linear(hidden, hidden),
            torch.nn.ReLU(),
            torch.nn.Linear(hidden, 10),
        )

    def forward(self, x):
        return self.net(x.flatten(start_dim=1))


def digits_split():
    """(x_train, y_train, x_test, y_test): pixels / 16 as float32 (n, 64), int64 labels; a fixed
    split, 1347 training and 450 test images."""
    # Imported here: unpickling a model in a worker need not pay for scikit-learn.
    from sklearn.datasets import load_digits

    digits = load_digits()
    x = torch.tensor(digits.data / 16.0, dtype=torch.float32)
    y = torch.tensor(digits.target, dtype=torch.int64)
    order = torch.tensor(np.random.default_rng(0).permutation(len(y)))
    train, test = order[:1347], order[1347:]
    return x[train], y[train], x[test], y[test]


def load_model():
    """The trained DigitsMLP, in eval mode, float32."""
    model = DigitsMLP()
    with np.load(WEIGHTS) as stored:
        state = {name: torch.tensor(stored[name]) for name in stored.files}
    model.load_state_dict(state)
    return model.eval()
