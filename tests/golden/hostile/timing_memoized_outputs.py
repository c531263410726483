"""Timing cheat: remembers every answer, keyed by the input's bytes, to return it instantly when
the same input comes back. Appended to an honest loop-based kmeans (its `# base:`), it must score
no better on speed: every timed round gets fresh inputs.
"""
# expect: ACCEPTED
# base: tests/golden/submissions/kmeans/loop_based.py
import hashlib as _hashlib

_honest_kmeans = kmeans
_answers = {}


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    key = (_hashlib.sha1(np.ascontiguousarray(X).tobytes()).hexdigest(), k, max_iter, tol, seed)
    if key not in _answers:
        _answers[key] = _honest_kmeans(X, k, max_iter=max_iter, tol=tol, seed=seed)
    return _answers[key]
