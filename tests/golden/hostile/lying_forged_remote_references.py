"""Hostile: rewrites the worker it runs in so that every call answers with a forged "remote
object" (a reference to something the worker keeps) instead of a value: objects are truthy and
never None, so `assert solution.f(...)` or `is not None` would pass in a careless checker. The
checker accepts a remote object only as the answer to constructing a class, and never as truthy.
"""
# expect: WRONG_ANSWER
import graders.worker as _worker

_original = _worker.Worker.handle


def _forged(self, header, buffers):
    if header.get("op") == "call":
        return {"ok": True, "value": ["tuple", [["handle", 1, "A"], ["handle", 2, "B"]]]}, []
    return _original(self, header, buffers)


_worker.Worker.handle = _forged


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    return None, None
