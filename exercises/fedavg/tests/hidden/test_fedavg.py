"""Hidden tests for fedavg: weighted averages of lists and dicts, empty clients, dtypes, no
overflow, the server update, errors, inputs left alone, speed."""

import numpy as np
import pytest
from fedavg_checks import (
    assert_models_close,
    check_model,
    random_clients,
    trusted_average,
)

from graders.checks import assert_unchanged
from graders.remote import inspect_call


def _tol(tolerances):
    return {"rtol": tolerances["rtol"], "atol": tolerances["atol"]}


@pytest.mark.weight(2)
def test_averages_lists_of_arrays_weighted_by_client_sizes(solution, tolerances):
    """fedavg of list models: sum of n_k / N * theta_k, array by array, in order."""
    rng = np.random.default_rng(800)
    for count in (1, 2, 5, 12):
        models = random_clients(rng, count, as_dict=False)
        sizes = rng.integers(1, 1000, size=count).tolist()
        got = check_model(solution.fedavg(models, sizes), models[0], "fedavg")
        assert_models_close(
            got, trusted_average(models, sizes), **_tol(tolerances), what=f"{count} clients"
        )


@pytest.mark.weight(2)
def test_averages_dicts_of_arrays_whatever_the_key_order(solution, tolerances):
    """fedavg of dict models: a dict with the same keys; clients may list keys in any order."""
    rng = np.random.default_rng(801)
    for count in (2, 4, 9):
        models = random_clients(rng, count, as_dict=True)
        models = [dict(reversed(m.items())) if i % 2 else m for i, m in enumerate(models)]
        sizes = rng.integers(1, 500, size=count)
        got = check_model(solution.fedavg(models, sizes), models[0], "fedavg")
        assert_models_close(
            got, trusted_average(models, sizes), **_tol(tolerances), what=f"{count} clients"
        )


@pytest.mark.weight(1)
def test_weights_are_sample_fractions(solution, tolerances):
    """Equal sizes give the plain mean; one client holding every sample gives its model."""
    rng = np.random.default_rng(802)
    models = random_clients(rng, 4, as_dict=False)
    got = check_model(solution.fedavg(models, [7, 7, 7, 7]), models[0], "fedavg")
    plain = [np.mean([m[j] for m in models], axis=0) for j in range(len(models[0]))]
    assert_models_close(got, plain, **_tol(tolerances), what="equal sizes")
    got = check_model(solution.fedavg(models, [0, 0, 250, 0]), models[0], "fedavg")
    assert_models_close(got, models[2], **_tol(tolerances), what="only client 2 has samples")
    got = check_model(solution.fedavg(models, [0.5, 1.5, 0.0, 2.0]), models[0], "fedavg")
    assert_models_close(
        got, trusted_average(models, [0.5, 1.5, 0.0, 2.0]), **_tol(tolerances), what="floats"
    )


@pytest.mark.weight(1)
def test_clients_without_samples_are_ignored_even_when_nan(solution, tolerances):
    """A client of size 0 takes no part: its NaN or inf parameters do not reach the result."""
    rng = np.random.default_rng(803)
    models = random_clients(rng, 4, as_dict=True)
    models[1] = {name: np.full(np.shape(a), np.nan) for name, a in models[1].items()}
    models[3] = {name: np.full(np.shape(a), np.inf) for name, a in models[3].items()}
    sizes = [10, 0, 30, 0]
    got = check_model(solution.fedavg(models, sizes), models[0], "fedavg")
    assert_models_close(got, trusted_average(models, sizes), **_tol(tolerances), what="fedavg")


@pytest.mark.weight(1)
def test_returns_float64_for_float32_and_integer_parameters(solution, tolerances):
    """float32 and int64 inputs: float64 results, integer means not truncated."""
    models = [
        [np.array([1, 2, 3]), np.float32([0.1, 0.2]), np.array(5)],
        [np.array([2, 2, 4]), np.float32([0.3, 0.5]), np.array(6)],
    ]
    got = check_model(
        solution.fedavg(models, [1, 1]), [np.zeros(3), np.zeros(2), np.zeros(())], "fedavg"
    )
    expected = [
        np.array([1.5, 2.0, 3.5]),
        (np.float64(np.float32([0.1, 0.2])) + np.float64(np.float32([0.3, 0.5]))) / 2,
        np.array(5.5),
    ]
    assert_models_close(got, expected, **_tol(tolerances), what="mixed dtypes")


@pytest.mark.weight(1)
def test_huge_parameters_do_not_overflow(solution, tolerances):
    """Parameters near 1e305 with sample counts near 1e5: a finite average."""
    rng = np.random.default_rng(804)
    models = [[rng.uniform(1e304, 1e305, size=(5,))] for _ in range(3)]
    sizes = [40_000, 25_000, 90_000]
    got = check_model(solution.fedavg(models, sizes), models[0], "fedavg")
    assert np.isfinite(got[0]).all(), f"the average overflowed: {got[0]}"
    assert_models_close(got, trusted_average(models, sizes), rtol=1e-9, atol=0, what="huge")


@pytest.mark.weight(2)
def test_server_update_moves_the_global_model_toward_the_average(solution, tolerances):
    """server_update = global + lr * (fedavg - global); lr=1 gives fedavg."""
    rng = np.random.default_rng(805)
    for as_dict, lr in ((False, 1.0), (True, 0.5), (False, 2.0), (True, 0.1)):
        models = random_clients(rng, 3, as_dict=as_dict)
        global_model = random_clients(rng, 1, as_dict=as_dict)[0]
        sizes = [100, 40, 10]
        got = solution.server_update(global_model, models, sizes, server_lr=lr)
        got = check_model(got, models[0], "server_update")
        average = trusted_average(models, sizes)
        keys = average.keys() if as_dict else range(len(average))
        expected = {k: global_model[k] + lr * (average[k] - global_model[k]) for k in keys}
        expected = expected if as_dict else [expected[k] for k in keys]
        assert_models_close(got, expected, **_tol(tolerances), what=f"server_lr={lr}")
    models = random_clients(rng, 2, as_dict=False)
    default = check_model(
        solution.server_update(models[0], models, [1, 3]), models[0], "server_update"
    )
    assert_models_close(
        default, trusted_average(models, [1, 3]), **_tol(tolerances), what="default server_lr"
    )


@pytest.mark.weight(1)
def test_inputs_are_not_modified(solution):
    """fedavg and server_update leave every model and the sizes as they were."""
    rng = np.random.default_rng(806)
    models = random_clients(rng, 3, as_dict=True)
    sizes = [5, 1, 2]
    _, args, _ = inspect_call(solution.fedavg, models, sizes)
    assert_unchanged([models, sizes], args, what="fedavg's arguments")
    lists = random_clients(rng, 3, as_dict=False)
    global_model = random_clients(rng, 1, as_dict=False)[0]
    _, args, _ = inspect_call(solution.server_update, global_model, lists, sizes, server_lr=0.3)
    assert_unchanged([global_model, lists, sizes], args, what="server_update's arguments")


@pytest.mark.weight(1)
def test_rejects_bad_inputs_with_value_error(solution):
    """ValueError for no clients, bad sizes and models that do not share one structure."""
    rng = np.random.default_rng(807)
    lists = random_clients(rng, 2, as_dict=False)
    dicts = random_clients(rng, 2, as_dict=True)
    bad = [
        ([], []),
        (lists, [1]),
        (lists, [1, 2, 3]),
        (lists, [1, -1]),
        (lists, [0, 0]),
        (lists, [1, float("nan")]),
        ([lists[0], dicts[1]], [1, 1]),
        ([dicts[0], {k: v for k, v in dicts[1].items() if k != "bias"}], [1, 1]),
        ([lists[0], lists[1][:-1]], [1, 1]),
        ([lists[0], [np.zeros((2, 2)), *lists[1][1:]]], [1, 1]),
    ]
    for models, sizes in bad:
        with pytest.raises(ValueError):
            solution.fedavg(models, sizes)
    with pytest.raises(ValueError):
        solution.server_update(lists[0][:-1], lists, [1, 1])
    with pytest.raises(ValueError):
        solution.server_update(dicts[0], lists, [1, 1])


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_20_clients(solution, reference, speed, tolerances):
    """Speed against a vectorized reference: 20 dict clients of about 20,000 parameters."""
    shapes = {"conv": (16, 3, 5, 5), "dense": (120, 128), "bias": (128,), "head": (128, 10)}

    def make_case(rng):
        models = random_clients(rng, 20, as_dict=True, shapes=shapes)
        return speed.case(models, rng.integers(1, 1000, size=20).tolist())

    def check(case, got, expected):
        got = check_model(got, case.args[0][0], "fedavg")
        assert_models_close(got, expected, rtol=1e-9, atol=1e-12, what="fedavg")

    speed.compare(solution.fedavg, reference.fedavg, make_case, check)
