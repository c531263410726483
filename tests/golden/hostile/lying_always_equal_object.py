"""Hostile: returns objects whose __eq__ (and every comparison) says True."""
# expect: WRONG_ANSWER


class Liar:
    def __eq__(self, other):
        return True

    __ne__ = lambda self, other: False  # noqa: E731
    __le__ = __ge__ = __eq__

    def __array__(self, dtype=None, copy=None):
        raise TypeError("no")

    def __len__(self):
        return 3


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    return Liar(), Liar()
