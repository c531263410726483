import numpy as np


def ring_allreduce(buffers):
    """Simulate a ring all-reduce (sum) over len(buffers) workers.

    buffers: a list of N 1-D arrays of one length, worker i's data is buffers[i].
    Returns (results, schedule): results[i] is worker i's buffer at the end (the sum), and
    schedule lists the 2(N-1) steps, each a list of N messages (src, dst, chunk).
    """
    raise NotImplementedError("implement ring_allreduce")
