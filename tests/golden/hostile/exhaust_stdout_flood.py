"""Hostile: floods stdout."""
# expect: OUTPUT_LIMIT_EXCEEDED


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    line = "spam " * 1000
    while True:
        print(line)
