"""Hidden tests for mlp-digits: the forward pass, predict, training to the floor, speed."""

import numpy as np
import pytest
from mlp_checks import (
    accuracy,
    check_trained_params,
    digits,
    random_params,
    scaled_blobs,
    split,
    trusted_proba,
)

from graders.checks import assert_array, assert_close, assert_unchanged
from graders.remote import inspect_call

SHAPES = [[5, 3], [8, 16, 4], [64, 32, 10], [6, 7, 5, 2], [3, 9, 9, 9, 9, 7]]


@pytest.mark.weight(2)
def test_predict_proba_matches_relu_layers_and_a_softmax(solution, tolerances):
    """predict_proba matches the statement's network for 1 to 4 layers."""
    rng = np.random.default_rng(200)
    for sizes in SHAPES:
        for n in (1, 17):
            params = random_params(rng, sizes, scale=2.0)
            X = rng.uniform(size=(n, sizes[0]))
            got = assert_array(
                solution.predict_proba(params, X),
                what=f"predict_proba, layers {sizes}",
                shape=(n, sizes[-1]),
                dtype=np.float64,
            )
            assert_close(
                got,
                trusted_proba(params, X),
                rtol=tolerances["rtol"],
                atol=tolerances["atol"],
                what=f"predict_proba, layers {sizes}, n={n}",
            )


@pytest.mark.weight(1)
def test_predict_proba_is_stable_for_huge_logits(solution, tolerances):
    """Logits in the thousands give finite probabilities that still sum to one."""
    rng = np.random.default_rng(201)
    for sizes, scale in (([4, 6], 5000.0), ([4, 8, 5], 300.0), ([4, 3], 20000.0)):
        params = random_params(rng, sizes, scale=scale)
        X = rng.uniform(size=(20, 4))
        got = assert_array(
            solution.predict_proba(params, X),
            what=f"predict_proba with logits ~{abs(scale):g}",
            shape=(20, sizes[-1]),
            dtype=np.float64,
        )
        assert_close(got.sum(axis=1), np.ones(20), rtol=0, atol=1e-9, what="row sums")
        assert_close(
            got,
            trusted_proba(params, X),
            rtol=tolerances["rtol"],
            atol=1e-9,
            what=f"predict_proba with logits ~{abs(scale):g}",
        )


@pytest.mark.weight(1)
def test_predict_returns_the_argmax_class_as_integers(solution):
    """predict is the argmax of the probabilities: integers of shape (n,)."""
    rng = np.random.default_rng(202)
    for sizes, n in (([6, 12, 4], 50), ([3, 5], 1), ([10, 8, 8, 10], 33)):
        params = random_params(rng, sizes, scale=3.0)
        X = rng.uniform(size=(n, sizes[0]))
        got = assert_array(solution.predict(params, X), what="predict", shape=(n,), kind="iu")
        np.testing.assert_array_equal(
            got, trusted_proba(params, X).argmax(axis=1), err_msg=f"predict, layers {sizes}"
        )


@pytest.mark.weight(4)
@pytest.mark.timeout(20)
def test_trained_networks_reach_the_held_out_floor_on_the_digits(solution, tolerances):
    """Three random splits and seeds: held-out accuracy >= the floor for every one."""
    X, y = digits()
    floor = tolerances["digits_floor"]
    for seed in range(3):
        X_train, y_train, X_test, y_test = split(X, y, seed=300 + seed)
        params = check_trained_params(solution.train(X_train, y_train, seed=seed), 64, 10)
        got = accuracy(params, X_test, y_test)
        assert got >= floor, (
            f"split {seed}, seed={seed}: held-out accuracy {got:.3f} is below the floor {floor}"
        )


@pytest.mark.weight(1)
@pytest.mark.timeout(20)
def test_the_output_layer_has_n_classes_units_when_a_class_is_absent(solution, tolerances):
    """Digits without the 9s, n_classes=10: ten outputs, and the other nine are learned."""
    X, y = digits()
    X_train, y_train, X_test, y_test = split(X, y, seed=310)
    keep = y_train != 9
    params = check_trained_params(solution.train(X_train[keep], y_train[keep], seed=4), 64, 10)
    known = y_test != 9
    got = accuracy(params, X_test[known], y_test[known])
    assert got >= tolerances["digits_floor"], (
        f"held-out accuracy on the classes it saw {got:.3f} is below the floor"
    )


@pytest.mark.weight(1)
@pytest.mark.timeout(20)
def test_trains_on_other_data_with_fewer_classes_and_features(solution):
    """Scaled Gaussian blobs (3 classes in 5-D, 4 classes in 12-D) are learned too."""
    for n_classes, d, seed in ((3, 5, 11), (4, 12, 12)):
        X, y = scaled_blobs(900, n_classes, d, seed)
        params = check_trained_params(
            solution.train(X[:600], y[:600], n_classes=n_classes, seed=1), d, n_classes
        )
        got = accuracy(params, X[600:], y[600:])
        assert got >= 0.9, f"{n_classes} classes in {d}-D: held-out accuracy {got:.3f} < 0.9"


@pytest.mark.weight(1)
@pytest.mark.timeout(20)
def test_the_same_seed_gives_the_same_params(solution):
    """train is deterministic given the data and the seed."""
    X, y = digits()
    X_train, y_train, _, _ = split(X, y, seed=320)
    first = check_trained_params(solution.train(X_train[:400], y_train[:400], seed=7), 64, 10)
    second = check_trained_params(solution.train(X_train[:400], y_train[:400], seed=7), 64, 10)
    assert len(first) == len(second), "the number of layers changed between two calls"
    for index, ((W1, b1), (W2, b2)) in enumerate(zip(first, second, strict=True)):
        np.testing.assert_array_equal(W1, W2, err_msg=f"layer {index}: W differs for one seed")
        np.testing.assert_array_equal(b1, b2, err_msg=f"layer {index}: b differs for one seed")


@pytest.mark.weight(1)
@pytest.mark.timeout(20)
def test_inputs_are_not_modified(solution):
    """train leaves X and y as they were; predict_proba leaves params and X as they were."""
    X, y = digits()
    X_train, y_train, _, _ = split(X, y, seed=330)
    X_train, y_train = X_train[:300].copy(), y_train[:300].copy()
    _, args, _ = inspect_call(solution.train, X_train, y_train, seed=0)
    assert_unchanged([X_train, y_train], args[:2], what="train's X and y")
    rng = np.random.default_rng(331)
    net = random_params(rng, [64, 20, 10])
    _, args, _ = inspect_call(solution.predict_proba, net, X_train)
    assert_unchanged([net, X_train], args, what="predict_proba's params and X")


@pytest.mark.weight(1)
def test_rejects_bad_inputs_with_value_error(solution):
    """ValueError for shapes that do not chain, bad labels and a bad n_classes."""
    rng = np.random.default_rng(340)
    params = random_params(rng, [4, 6, 3])
    bad_calls = [
        ("predict_proba", (params, np.zeros((5, 3))), {}),  # X has 3 features, W1 wants 4
        ("predict_proba", (params, np.zeros(4)), {}),  # X not 2-D
        (
            "predict_proba",
            (random_params(rng, [4, 6]) + random_params(rng, [5, 3]), rng.uniform(size=(2, 4))),
            {},
        ),
        ("train", (np.zeros(10), np.zeros(10, dtype=np.int64)), {}),
        ("train", (np.zeros((0, 4)), np.zeros(0, dtype=np.int64)), {}),
        ("train", (np.zeros((10, 4)), np.zeros(9, dtype=np.int64)), {}),
        ("train", (np.zeros((10, 4)), np.full(10, 3, dtype=np.int64)), {"n_classes": 3}),
        ("train", (np.zeros((10, 4)), np.full(10, -1, dtype=np.int64)), {}),
        ("train", (np.zeros((10, 4)), np.zeros(10)), {}),  # float labels
        ("train", (np.zeros((10, 4)), np.zeros(10, dtype=np.int64)), {"n_classes": 1}),
    ]
    for name, args, kwargs in bad_calls:
        with pytest.raises(ValueError):
            getattr(solution, name)(*args, **kwargs)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_of_predict_proba_on_8000_rows(solution, reference, speed, tolerances):
    """Speed of predict_proba against a vectorized reference: 8,000 rows, 64 -> 256 -> 10."""

    def make_case(rng):
        return speed.case(random_params(rng, [64, 256, 10]), rng.uniform(size=(8_000, 64)))

    def check(case, got, expected):
        assert_array(got, what="predict_proba", shape=(8_000, 10), dtype=np.float64)
        assert_close(got, expected, rtol=1e-6, atol=1e-12, what="predict_proba")

    speed.compare(solution.predict_proba, reference.predict_proba, make_case, check)
