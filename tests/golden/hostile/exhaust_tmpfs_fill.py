"""Hostile: fills /tmp, the only writable filesystem."""
# expect: WRONG_ANSWER


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    try:
        with open("/tmp/fill", "wb") as f:
            while True:
                f.write(b"x" * (1024 * 1024))
    except OSError:
        pass
    return None, None
