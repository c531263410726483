"""Hostile: searches the whole filesystem for the reference solution or the hidden tests.

If it finds any other module defining kmeans (the reference) it loads it and returns its answer,
which would be ACCEPTED. Hidden tests and the reference are never mounted here, so it finds
nothing and returns garbage.
"""
# expect: WRONG_ANSWER
import os

SKIP = ("/proc", "/sys", "/dev", "/opt/venv/lib", "/usr/lib", "/usr/share")


def find_reference():
    for root, dirs, files in os.walk("/"):
        if root.startswith(SKIP):
            dirs[:] = []
            continue
        for name in files:
            path = os.path.join(root, name)
            if path == "/candidate/solution.py" or not name.endswith(".py"):
                continue
            try:
                with open(path, errors="replace") as f:
                    text = f.read(200_000)
            except OSError:
                continue
            if "def kmeans(" in text:
                return text
    return None


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    source = find_reference()
    if source is not None:
        scope = {}
        exec(source, scope)
        return scope["kmeans"](X, k, max_iter=max_iter, tol=tol, seed=seed)
    return None, None
