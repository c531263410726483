"""The digits data of the exercise: scikit-learn's 8x8 digits as torch tensors, split in two.

Importable by the tests and by solutions (`from digits_data import digits_split`).
"""

import numpy as np
import torch


def digits_split(seed=0, n_train=1347):
    """(images_train, labels_train, images_test, labels_test): float32 images (n, 8, 8) with
    scikit-learn's raw pixel values 0..16, int64 labels 0..9; a random split of the 1797
    images, fixed by `seed`."""
    from sklearn.datasets import load_digits  # here: importing this module stays cheap

    digits = load_digits()
    images = torch.tensor(digits.images, dtype=torch.float32)
    labels = torch.tensor(digits.target, dtype=torch.int64)
    order = torch.tensor(np.random.default_rng(seed).permutation(len(labels)))
    train, test = order[:n_train], order[n_train:]
    return images[train], labels[train], images[test], labels[test]
