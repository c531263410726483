"""Hostile: floods stderr, unbuffered, straight to the file descriptor."""
# expect: OUTPUT_LIMIT_EXCEEDED
import os


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    chunk = b"E" * 65536
    while True:
        os.write(2, chunk)
