"""Public tests for cnn-digits: run them with "Run". The hidden suite checks much more."""

import pytest
import torch
from digits_data import digits_split


@pytest.mark.timeout(60)
def test_trains_to_a_good_held_out_accuracy(solution):
    """Train on the 1347 training images; at least 0.95 on the 450 held-out ones."""
    x_train, y_train, x_test, y_test = digits_split(seed=0)
    model = solution.DigitsCNN(seed=0)
    assert model.fit(x_train, y_train) is None, "fit must return None"
    predictions = model.predict(x_test)
    assert predictions.dtype == torch.int64, f"expected int64 labels, got {predictions.dtype}"
    assert predictions.shape == (450,), f"expected shape (450,), got {tuple(predictions.shape)}"
    accuracy = (predictions == y_test).double().mean().item()
    assert accuracy >= 0.95, f"held-out accuracy {accuracy:.4f} (the hidden floor is higher)"
    probabilities = model.predict_proba(x_test[:5])
    assert probabilities.shape == (5, 10), f"expected (5, 10), got {tuple(probabilities.shape)}"
    torch.testing.assert_close(probabilities.sum(dim=1), torch.ones(5))


@pytest.mark.timeout(60)
def test_rejects_images_of_the_wrong_shape(solution):
    """images must be (n, 8, 8)."""
    x_train, y_train, _, _ = digits_split(seed=0)
    with pytest.raises(ValueError):
        solution.DigitsCNN().fit(x_train[:10].reshape(10, 64), y_train[:10])


def test_predicting_before_fit_raises(solution):
    """There is nothing to predict with before fit."""
    with pytest.raises(ValueError):
        solution.DigitsCNN().predict(torch.zeros(2, 8, 8))
