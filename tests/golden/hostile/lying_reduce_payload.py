"""Hostile: returns an object whose __reduce__ would run code in whoever unpickles it.

The payload disables numpy.testing in the unpickling process, so a checker that unpickled the
answer would then pass everything. The checker never unpickles what the candidate sends.
"""
# expect: WRONG_ANSWER

PAYLOAD = (
    "import numpy, numpy.testing as t\n"
    "t.assert_array_equal = t.assert_allclose = lambda *a, **k: None\n"
    "numpy.allclose = lambda *a, **k: True\n"
)


class Bomb:
    def __reduce__(self):
        return (exec, (PAYLOAD,))


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    return Bomb(), Bomb()
