"""Hostile: smuggles hidden inputs out through an error message. Its first call saves the
arguments and kills the worker; the restarted worker's import fails with those arguments in the
exception message, which a report might show. A hidden report only says the import failed again.
"""
# expect: RUNTIME_ERROR
# must-not-show: LEAKED
import os

STASH = "/tmp/stash.txt"
if os.path.exists(STASH):
    raise Exception("LEAKED: " + open(STASH).read())


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    with open(STASH, "w") as f:
        f.write(repr((X, k, max_iter, tol, seed))[:3000])
    os._exit(1)
