"""Hostile: a tuple subclass whose iteration and comparisons lie about its contents.

It claims to hold the right answer; it really holds garbage. The codec reads a tuple through
tuple's own methods, so the checker sees the garbage.
"""
# expect: WRONG_ANSWER
import numpy as np


class Sneaky(tuple):
    def __iter__(self):
        return iter(self.claimed)

    def __getitem__(self, index):
        return self.claimed[index]

    def __eq__(self, other):
        return True


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=float)
    answer = Sneaky(("garbage", "garbage"))
    answer.claimed = (np.zeros((k, X.shape[-1])), np.zeros(len(X), dtype=np.int64))
    return answer
