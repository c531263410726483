"""Train the DigitsMLP of digits_model.py and store its weights in digits_mlp.npz.

python make_weights.py      (from this folder; well under a minute on one CPU)
"""

import numpy as np
import torch
from digits_model import WEIGHTS, DigitsMLP, digits_split


def main():
    torch.manual_seed(0)
    x_train, y_train, x_test, y_test = digits_split()
    model = DigitsMLP()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
    generator = torch.Generator().manual_seed(0)
    for _ in range(60):
        for batch in torch.randperm(len(y_train), generator=generator).split(64):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x_train[batch]), y_train[batch])
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
    print(f"test accuracy {accuracy:.4f}")
    np.savez(WEIGHTS, **{k: v.detach().numpy() for k, v in model.state_dict().items()})


if __name__ == "__main__":
    main()
