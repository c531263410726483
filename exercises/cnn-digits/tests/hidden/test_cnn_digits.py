"""Hidden tests for cnn-digits: held-out accuracy floor, the prediction contract, determinism,
untouched inputs, validation and that the network is convolutional."""

import ast

import pytest
import torch
from digits_data import digits_split

from graders.checks import assert_close, assert_unchanged
from graders.remote import inspect_call

X_TRAIN, Y_TRAIN, X_TEST, Y_TEST = digits_split(seed=0)
ACCURACY_FLOOR = 0.965  # the reference reaches about 0.99 on this split


@pytest.fixture(scope="module")
def trained(solution):
    """One DigitsCNN(seed=0) trained on the 1347 training images, shared by the tests below."""
    model = solution.DigitsCNN(seed=0)
    model.fit(X_TRAIN, Y_TRAIN)
    return model


def check_labels(got, n, what="predict"):
    assert isinstance(got, torch.Tensor), f"{what} must return a tensor, got {type(got).__name__}"
    assert got.dtype == torch.int64, f"{what} must return int64 labels, got {got.dtype}"
    assert tuple(got.shape) == (n,), f"{what} must return shape {(n,)}, got {tuple(got.shape)}"
    if n:
        assert int(got.min()) >= 0 and int(got.max()) <= 9, f"{what}: labels outside 0..9"
    return got


def check_probabilities(got, n, what="predict_proba"):
    assert isinstance(got, torch.Tensor), f"{what} must return a tensor, got {type(got).__name__}"
    assert got.dtype == torch.float32, f"{what} must return float32, got {got.dtype}"
    assert tuple(got.shape) == (n, 10), (
        f"{what} must return shape {(n, 10)}, got {tuple(got.shape)}"
    )
    assert not got.requires_grad, f"{what} must return a detached tensor"
    assert torch.isfinite(got).all(), f"{what} returned NaN or inf"
    assert (got >= 0).all(), f"{what} returned negative probabilities"
    assert_close(got.sum(dim=1), torch.ones(n), rtol=0, atol=1e-5, what=f"{what}: row sums")
    return got


@pytest.mark.weight(4)
@pytest.mark.timeout(60)
def test_held_out_accuracy_reaches_the_floor(trained):
    """Accuracy on the 450 held-out images is at least 0.965."""
    predictions = check_labels(trained.predict(X_TEST), len(Y_TEST))
    accuracy = (predictions == Y_TEST).double().mean().item()
    assert accuracy >= ACCURACY_FLOOR, (
        f"held-out accuracy {accuracy:.4f} is below the floor {ACCURACY_FLOOR}"
    )


@pytest.mark.weight(2)
@pytest.mark.timeout(60)
def test_predict_proba_gives_probabilities_and_predict_their_argmax(trained):
    """predict_proba: float32 (m, 10), rows summing to 1; predict: int64 (m,), its argmax."""
    probabilities = check_probabilities(trained.predict_proba(X_TEST), len(Y_TEST))
    labels = check_labels(trained.predict(X_TEST), len(Y_TEST))
    top = probabilities.max(dim=1).values
    chosen = probabilities.gather(1, labels[:, None])[:, 0]
    assert (chosen >= top - 1e-6).all(), "predict must return the most probable class"


@pytest.mark.weight(1)
@pytest.mark.timeout(60)
def test_predictions_are_deterministic_for_one_image_or_none(trained):
    """Two predict_proba calls agree; a single image and an empty batch work."""
    first = check_probabilities(trained.predict_proba(X_TEST[:50]), 50)
    second = check_probabilities(trained.predict_proba(X_TEST[:50]), 50)
    assert torch.equal(first, second), "predict_proba changed between two calls (train mode?)"
    single = check_probabilities(trained.predict_proba(X_TEST[:1]), 1, "predict_proba(1 image)")
    assert_close(single, first[:1], rtol=1e-5, atol=1e-6, what="one image alone vs in a batch")
    check_labels(trained.predict(X_TEST[:0]), 0, "predict(empty batch)")


@pytest.mark.weight(1)
@pytest.mark.timeout(60)
def test_the_same_seed_trains_the_same_model_and_fit_leaves_its_inputs_alone(solution):
    """Two fits with seed 3 on 300 images predict the same; fit does not modify its inputs."""
    images, labels = X_TRAIN[:300].clone(), Y_TRAIN[:300].clone()
    first = solution.DigitsCNN(seed=3)
    result, args, _ = inspect_call(first.fit, images, labels)
    assert result is None, f"fit must return None, got {type(result).__name__}"
    assert_unchanged(images, args[0], what="images")
    assert_unchanged(labels, args[1], what="labels")
    second = solution.DigitsCNN(seed=3)
    second.fit(images, labels)
    a = check_probabilities(first.predict_proba(X_TEST), len(Y_TEST))
    b = check_probabilities(second.predict_proba(X_TEST), len(Y_TEST))
    assert_close(a, b, rtol=1e-4, atol=1e-5, what="two models trained with the same seed")


@pytest.mark.weight(1)
@pytest.mark.timeout(60)
def test_rejects_bad_inputs_with_value_error(solution):
    """ValueError for bad shapes, mismatched lengths, bad labels, predicting before fit."""
    model = solution.DigitsCNN(seed=0)
    with pytest.raises(ValueError):
        model.predict(X_TEST[:5])
    bad_fits = [
        (X_TRAIN[:20].reshape(20, 64), Y_TRAIN[:20]),  # flat images
        (X_TRAIN[:20], Y_TRAIN[:19]),  # one label short
        (X_TRAIN[:20], Y_TRAIN[:20].double()),  # float labels
        (X_TRAIN[:20], Y_TRAIN[:20] + 10),  # labels outside 0..9
        (X_TRAIN[:20].long(), Y_TRAIN[:20]),  # integer images
    ]
    for images, labels in bad_fits:
        with pytest.raises(ValueError):
            model.fit(images, labels)


@pytest.mark.weight(1)
def test_the_network_is_convolutional(candidate_source):
    """The source uses a 2-D convolution (nn.Conv2d or F.conv2d)."""
    tree = ast.parse(candidate_source)
    names = {
        node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute | ast.Name)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert names & {"Conv2d", "conv2d", "LazyConv2d"}, (
        "the network must use a 2-D convolution (nn.Conv2d or torch.nn.functional.conv2d)"
    )
