"""Hostile: creates files until the inodes run out, and a 2 GB sparse file (a seek and a byte)."""
# expect: WRONG_ANSWER
import os


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    os.makedirs("/tmp/many", exist_ok=True)
    try:
        for i in range(10**7):
            open(f"/tmp/many/{i}", "w").close()
    except OSError:
        pass
    try:
        with open("/tmp/sparse", "wb") as f:
            f.seek(2 * 1024**3)
            f.write(b"x")
    except OSError:
        pass
    return None, None
