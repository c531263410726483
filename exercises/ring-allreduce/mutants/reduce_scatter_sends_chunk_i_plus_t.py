"""Wrong: in the reduce-scatter worker i sends chunk (i + t) mod N instead of (i - t) mod N."""

import numpy as np


def _chunk_bounds(length, n_workers):
    """Start and stop of each of the N chunks, as np.array_split cuts them."""
    sizes = np.full(n_workers, length // n_workers)
    sizes[: length % n_workers] += 1
    stops = np.cumsum(sizes)
    return list(zip((stops - sizes).tolist(), stops.tolist(), strict=True))


def ring_allreduce(buffers):
    if not isinstance(buffers, (list, tuple)) or len(buffers) == 0:
        raise ValueError("buffers must be a non-empty list of 1-D arrays")
    arrays = [np.asarray(b) for b in buffers]
    if any(a.ndim != 1 for a in arrays):
        raise ValueError("every buffer must be 1-D")
    if any(a.shape != arrays[0].shape for a in arrays):
        raise ValueError(f"buffers differ in length: {[len(a) for a in arrays]}")
    if any(a.dtype.kind not in "iuf" for a in arrays):
        raise ValueError("buffers must hold integers or floats")
    n = len(arrays)
    dtype = np.result_type(*arrays)
    # Each worker's own copy: the caller's arrays are never written.
    workers = [a.astype(dtype, copy=True) for a in arrays]
    bounds = _chunk_bounds(len(arrays[0]), n)
    schedule = []
    for step in range(2 * (n - 1)):
        reducing = step < n - 1
        t = step if reducing else step - (n - 1)
        messages = [
            (i, (i + 1) % n, (i + t) % n if reducing else (i + 1 - t) % n) for i in range(n)
        ]
        # All messages of a step leave at once: read every payload before anyone receives.
        payloads = [workers[src][slice(*bounds[chunk])].copy() for src, _, chunk in messages]
        for (_, dst, chunk), payload in zip(messages, payloads, strict=True):
            region = slice(*bounds[chunk])
            if reducing:
                workers[dst][region] += payload
            else:
                workers[dst][region] = payload
        schedule.append(messages)
    return workers, schedule
