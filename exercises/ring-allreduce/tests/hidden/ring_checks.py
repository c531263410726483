"""A trusted replay of a ring schedule and checks for the hidden ring-allreduce tests."""

import numpy as np

from graders.checks import assert_array


def chunk_slices(length, n_workers):
    """The N chunks of np.array_split(np.arange(length), N), as slices."""
    pieces = np.array_split(np.arange(length), n_workers)
    starts = np.cumsum([0] + [len(p) for p in pieces[:-1]])
    return [slice(int(s), int(s) + len(p)) for s, p in zip(starts, pieces, strict=True)]


def contract_schedule(n_workers):
    """The schedule the statement fixes."""
    steps = []
    for t in range(n_workers - 1):
        steps.append([(i, (i + 1) % n_workers, (i - t) % n_workers) for i in range(n_workers)])
    for t in range(n_workers - 1):
        steps.append([(i, (i + 1) % n_workers, (i + 1 - t) % n_workers) for i in range(n_workers)])
    return steps


def check_result(result, buffers):
    """(results, schedule) of the contract's types; returns them with plain-int messages."""
    assert isinstance(result, tuple) and len(result) == 2, (
        "ring_allreduce must return a tuple (results, schedule)"
    )
    results, schedule = result
    n, length = len(buffers), len(buffers[0])
    dtype = np.result_type(*buffers)
    assert isinstance(results, list) and len(results) == n, (
        f"results must be a list of {n} arrays (one per worker)"
    )
    results = [
        assert_array(r, what=f"results[{i}]", shape=(length,), dtype=dtype, finite=False)
        for i, r in enumerate(results)
    ]
    assert isinstance(schedule, list), f"schedule must be a list, got {type(schedule).__name__}"
    plain = []
    for s, step in enumerate(schedule):
        assert isinstance(step, list), f"schedule[{s}] must be a list of messages"
        messages = []
        for m, message in enumerate(step):
            assert isinstance(message, (tuple, list)) and len(message) == 3, (
                f"schedule[{s}][{m}] must be a tuple (src, dst, chunk)"
            )
            assert all(
                isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in message
            ), f"schedule[{s}][{m}] must hold integers, got {message!r}"
            messages.append(tuple(int(v) for v in message))
        plain.append(messages)
    return results, plain


def check_ring_shape(schedule, n_workers):
    """2(N-1) steps; in each, every worker sends exactly one valid chunk to its right."""
    assert len(schedule) == 2 * (n_workers - 1), (
        f"N={n_workers}: expected {2 * (n_workers - 1)} steps, got {len(schedule)}"
    )
    for s, step in enumerate(schedule):
        senders = sorted(src for src, _, _ in step)
        assert senders == list(range(n_workers)), (
            f"step {s}: every worker must send exactly one message, senders were {senders}"
        )
        for src, dst, chunk in step:
            assert dst == (src + 1) % n_workers, (
                f"step {s}: worker {src} sent to {dst}, not to its right neighbour"
            )
            assert 0 <= chunk < n_workers, f"step {s}: chunk {chunk} is not in [0, {n_workers})"


def replay(buffers, schedule):
    """What the schedule computes under the statement's rules (add, then replace)."""
    n = len(buffers)
    dtype = np.result_type(*buffers)
    workers = [np.array(b, dtype=dtype, copy=True) for b in buffers]
    slices = chunk_slices(len(buffers[0]), n)
    for s, step in enumerate(schedule):
        payloads = [workers[src][slices[chunk]].copy() for src, _, chunk in step]
        for (_, dst, chunk), payload in zip(step, payloads, strict=True):
            if s < n - 1:
                workers[dst][slices[chunk]] = workers[dst][slices[chunk]] + payload
            else:
                workers[dst][slices[chunk]] = payload
    return workers
