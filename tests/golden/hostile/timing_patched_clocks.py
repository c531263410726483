"""Timing cheat: freezes every clock in its own process, so a grader that timed the call from
inside the candidate's process would read zero seconds. Appended to an honest loop-based kmeans
(its `# base:`), it must score no better on speed than that code alone: the checker times calls
from its own side of the socket.
"""
# expect: ACCEPTED
# base: tests/golden/submissions/kmeans/loop_based.py
import time as _time

_FROZEN = 1000.0
_time.perf_counter = _time.monotonic = _time.time = _time.process_time = lambda: _FROZEN
_time.perf_counter_ns = _time.monotonic_ns = _time.time_ns = lambda: int(_FROZEN * 1e9)
