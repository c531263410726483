"""Hostile: rewrites builtins, math and operator so any comparison in this process passes.

Done inside the call, after the worker is up: the worker's own code then runs on the lies too
and breaks (each call crashes its worker), and nothing but plain data could leave the process
anyway.
"""
# expect: RUNTIME_ERROR
import builtins
import math
import operator


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    builtins.isinstance = lambda obj, cls: True
    builtins.all = lambda iterable: True
    builtins.len = lambda obj: 2
    math.isclose = lambda *args, **kwargs: True
    math.isfinite = lambda x: True
    operator.eq = lambda a, b: True
    return None, None
