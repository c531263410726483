"""Golden submission for kmeans: correct, but written with Python loops.

Loops over clusters for the assignment and the update steps, and over points (plain Python
floats) in the k-means++ D^2 update. Same random draws as the contract, so it matches the
reference exactly; it must be ACCEPTED with a speed ratio well below the reference's 1.0.
"""
# expect: ACCEPTED

import numpy as np


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError("X must be a 2-D array")
    n, d = X.shape
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1 or k > n:
        raise ValueError("k must be an integer between 1 and the number of points")
    k = int(k)
    rng = np.random.default_rng(seed)

    # k-means++ seeding, one point at a time.
    points = X.tolist()
    centroids = np.zeros((k, d))
    centroids[0] = X[rng.integers(n)]
    nearest = []
    first = centroids[0].tolist()
    for p in points:
        dist = 0.0
        for t in range(d):
            diff = p[t] - first[t]
            dist += diff * diff
        nearest.append(dist)
    for j in range(1, k):
        weights = np.array(nearest)
        total = weights.sum()
        if total > 0:
            index = rng.choice(n, p=weights / total)
        else:
            index = rng.integers(n)
        centroids[j] = X[index]
        c = centroids[j].tolist()
        for i, p in enumerate(points):
            dist = 0.0
            for t in range(d):
                diff = p[t] - c[t]
                dist += diff * diff
            if dist < nearest[i]:
                nearest[i] = dist

    def assign(centroids):
        distances = np.zeros((n, k))
        for j in range(k):
            distances[:, j] = ((X - centroids[j]) ** 2).sum(axis=1)
        return np.argmin(distances, axis=1)

    # Lloyd iterations, one cluster at a time.
    for _ in range(max_iter):
        labels = assign(centroids)
        new_centroids = centroids.copy()
        for j in range(k):
            members = X[labels == j]
            if len(members) > 0:
                new_centroids[j] = members.mean(axis=0)
        largest_shift = 0.0
        for j in range(k):
            largest_shift = max(largest_shift, np.linalg.norm(new_centroids[j] - centroids[j]))
        centroids = new_centroids
        if largest_shift <= tol:
            break
    return centroids, assign(centroids)
