"""Hostile: plants numpy.py, sitecustomize.py and .pth files wherever it can write.

If the checker imported from a candidate-writable path, its numpy would be this fake.
"""
# expect: WRONG_ANSWER
import os
import site
import sys

FAKE = "def allclose(*a, **k):\n    return True\nclass testing:\n    pass\n"
PTH = "import sys; sys.modules['numpy'] = None\n"


def plant():
    folders = {"/tmp", os.getcwd(), "/candidate", "/exercise/support", *sys.path}
    folders |= set(site.getsitepackages())
    for folder in folders:
        for name, text in [("numpy.py", FAKE), ("sitecustomize.py", FAKE), ("evil.pth", PTH),
                           ("usercustomize.py", FAKE)]:
            try:
                with open(os.path.join(folder or ".", name), "w") as f:
                    f.write(text)
            except OSError:
                pass


plant()


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    plant()
    return None, None
