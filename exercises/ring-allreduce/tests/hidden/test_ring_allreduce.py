"""Hidden tests for ring-allreduce: the sums, the schedule (count, shape, exact order), a
bit-exact replay of the messages, dtypes, NaN, errors, inputs left alone, speed."""

import numpy as np
import pytest
from ring_checks import check_result, check_ring_shape, contract_schedule, replay

from graders.checks import assert_close, assert_unchanged
from graders.remote import inspect_call

# (N workers, L elements): L divisible by N or not, L < N, L = 0, one worker.
CASES = [(1, 6), (2, 8), (3, 10), (4, 4), (4, 2), (5, 0), (6, 37), (8, 1000)]


def _buffers(rng, n, length, dtype=np.float64):
    if np.dtype(dtype).kind == "f":
        return [rng.normal(size=length).astype(dtype) for _ in range(n)]
    return [rng.integers(-1000, 1000, size=length).astype(dtype) for _ in range(n)]


@pytest.mark.weight(3)
def test_every_worker_ends_with_the_sum(solution, tolerances):
    """results[i] is the element-wise sum of all buffers, for every worker i."""
    rng = np.random.default_rng(900)
    for n, length in CASES:
        buffers = _buffers(rng, n, length)
        results, _ = check_result(solution.ring_allreduce(buffers), buffers)
        expected = np.sum(buffers, axis=0) if length else np.zeros(0)
        for i, got in enumerate(results):
            assert_close(
                got,
                expected,
                rtol=tolerances["rtol"],
                atol=tolerances["atol"],
                what=f"N={n}, L={length}: worker {i}'s result",
            )


@pytest.mark.weight(2)
def test_the_schedule_has_2_n_minus_1_steps_of_one_message_per_worker_to_the_right(solution):
    """2(N-1) steps; in each, every worker sends one chunk, to (i + 1) mod N."""
    rng = np.random.default_rng(901)
    for n, length in CASES:
        buffers = _buffers(rng, n, length)
        _, schedule = check_result(solution.ring_allreduce(buffers), buffers)
        check_ring_shape(schedule, n)
        assert sum(len(step) for step in schedule) == 2 * n * (n - 1), "message count"


@pytest.mark.weight(2)
def test_results_are_exactly_what_the_messages_compute(solution):
    """Replaying the returned schedule (add, then replace) gives the results bit for bit."""
    rng = np.random.default_rng(902)
    for n, length in [(3, 10), (4, 1000), (7, 50), (8, 203)]:
        buffers = [rng.normal(size=length) * 10.0 ** rng.integers(-3, 4) for _ in range(n)]
        results, schedule = check_result(solution.ring_allreduce(buffers), buffers)
        check_ring_shape(schedule, n)
        expected = replay(buffers, schedule)
        for i, (got, want) in enumerate(zip(results, expected, strict=True)):
            np.testing.assert_array_equal(
                got, want, err_msg=f"N={n}, L={length}: worker {i} differs from its messages"
            )
        for i, got in enumerate(results[1:], start=1):
            np.testing.assert_array_equal(
                got, results[0], err_msg=f"N={n}: workers 0 and {i} end with different arrays"
            )


@pytest.mark.weight(1)
def test_the_schedule_is_the_one_of_the_statement(solution):
    """Reduce-scatter sends chunk (i - t) mod N, all-gather chunk (i + 1 - t) mod N."""
    rng = np.random.default_rng(903)
    for n, length in CASES:
        buffers = _buffers(rng, n, length)
        _, schedule = check_result(solution.ring_allreduce(buffers), buffers)
        expected = contract_schedule(n)
        for s, (got, want) in enumerate(zip(schedule, expected, strict=False)):
            assert got == want, f"N={n}, step {s}: expected {want}, got {got}"
        assert len(schedule) == len(expected), f"N={n}: expected {len(expected)} steps"


@pytest.mark.weight(1)
def test_integer_sums_are_exact_and_keep_the_dtype(solution):
    """int64 and int32 buffers: exact sums in np.result_type of the buffers."""
    rng = np.random.default_rng(904)
    for dtypes in (
        [np.int64] * 4,
        [np.int32] * 3,
        [np.int32, np.int64, np.int32],
        [np.int64, np.float32],
    ):
        buffers = [
            _buffers(rng, 1, 25, dtype)[0]
            if np.dtype(dtype).kind == "i"
            else rng.normal(size=25).astype(dtype)
            for dtype in dtypes
        ]
        results, schedule = check_result(solution.ring_allreduce(buffers), buffers)
        check_ring_shape(schedule, len(buffers))
        for i, got in enumerate(results):
            expected = replay(buffers, contract_schedule(len(buffers)))[i]
            if got.dtype.kind == "i":
                np.testing.assert_array_equal(got, np.sum(buffers, axis=0), err_msg=f"worker {i}")
            else:
                assert_close(got, expected, rtol=1e-12, atol=1e-12, what=f"worker {i}")


@pytest.mark.weight(1)
def test_a_nan_spreads_to_that_position_on_every_worker(solution):
    """One NaN on one worker: NaN at that index everywhere, and nowhere else."""
    rng = np.random.default_rng(905)
    buffers = _buffers(rng, 5, 23)
    buffers[3][17] = np.nan
    results, _ = check_result(solution.ring_allreduce(buffers), buffers)
    for i, got in enumerate(results):
        assert np.isnan(got[17]), f"worker {i} lost the NaN at index 17"
        assert np.isfinite(np.delete(got, 17)).all(), f"worker {i} has NaN elsewhere"


@pytest.mark.weight(1)
def test_inputs_are_not_modified(solution):
    """The caller's buffers are left as they were."""
    rng = np.random.default_rng(906)
    for n, length in [(4, 30), (1, 5)]:
        buffers = _buffers(rng, n, length)
        _, args, _ = inspect_call(solution.ring_allreduce, buffers)
        assert_unchanged(buffers, args[0], what="buffers")


@pytest.mark.weight(1)
def test_rejects_bad_buffers_with_value_error(solution):
    """ValueError for no buffers, a 2-D buffer, unequal lengths and non-numeric data."""
    bad = [
        [],
        [np.zeros((2, 3)), np.zeros((2, 3))],
        [np.zeros(4), np.zeros(5)],
        [np.array(["a", "b"]), np.array(["c", "d"])],
        [np.zeros(3), np.float64(1.0)],
    ]
    for buffers in bad:
        with pytest.raises(ValueError):
            solution.ring_allreduce(buffers)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_8_workers_of_50000_floats(solution, reference, speed, tolerances):
    """Speed against a vectorized reference: 8 workers, 50,000 float64 each."""

    def make_case(rng):
        return speed.case([rng.normal(size=50_000) for _ in range(8)])

    def check(case, got, expected):
        buffers = case.args[0]
        results, schedule = check_result(got, buffers)
        check_ring_shape(schedule, 8)
        for i, r in enumerate(results):
            assert_close(r, expected[0][i], rtol=1e-10, atol=1e-12, what=f"worker {i}")

    speed.compare(solution.ring_allreduce, reference.ring_allreduce, make_case, check)
