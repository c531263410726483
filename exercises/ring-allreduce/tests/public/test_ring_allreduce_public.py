"""Public tests for ring-allreduce: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

EXAMPLE = [np.arange(4) * (i + 1) for i in range(3)]


def test_every_worker_ends_with_the_sum(solution):
    """The example: three workers, four integers each."""
    results, _ = solution.ring_allreduce(EXAMPLE)
    assert len(results) == 3, f"expected one result per worker, got {len(results)}"
    for i, got in enumerate(results):
        np.testing.assert_array_equal(got, [0, 6, 12, 18], err_msg=f"worker {i}")


def test_the_schedule_of_the_example(solution):
    """2(N - 1) = 4 steps; worker i sends chunk i, then i-1, then i+1, then i."""
    _, schedule = solution.ring_allreduce(EXAMPLE)
    as_tuples = [[tuple(int(v) for v in m) for m in step] for step in schedule]
    assert as_tuples == [
        [(0, 1, 0), (1, 2, 1), (2, 0, 2)],
        [(0, 1, 2), (1, 2, 0), (2, 0, 1)],
        [(0, 1, 1), (1, 2, 2), (2, 0, 0)],
        [(0, 1, 0), (1, 2, 1), (2, 0, 2)],
    ], f"unexpected schedule {as_tuples}"


def test_one_worker_needs_no_step(solution):
    """N = 1: no messages, the result is the buffer."""
    results, schedule = solution.ring_allreduce([np.array([1.5, 2.5])])
    assert schedule == [], f"expected no steps, got {schedule}"
    np.testing.assert_array_equal(results[0], [1.5, 2.5])


def test_fewer_elements_than_workers(solution):
    """L < N: some chunks are empty, the sums are still right."""
    buffers = [np.array([1.0, 2.0]) * i for i in range(1, 5)]
    results, schedule = solution.ring_allreduce(buffers)
    assert len(schedule) == 6, f"expected 6 steps, got {len(schedule)}"
    for got in results:
        np.testing.assert_allclose(got, [10.0, 20.0])


def test_rejects_buffers_of_different_lengths(solution):
    """Every buffer must have the same length."""
    with pytest.raises(ValueError):
        solution.ring_allreduce([np.zeros(3), np.zeros(4)])
