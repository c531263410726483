"""Hostile: looks for the Docker API (unix socket or TCP) to start a privileged container."""
# expect: WRONG_ANSWER
import os
import socket

PATHS = ["/var/run/docker.sock", "/run/docker.sock", "/run/containerd/containerd.sock",
         "/var/run/containerd/containerd.sock", "/run/podman/podman.sock"]


def docker_api():
    found = [path for path in PATHS if os.path.exists(path)]
    for host, port in [("172.17.0.1", 2375), ("172.17.0.1", 2376), ("127.0.0.1", 2375)]:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                found.append(f"{host}:{port}")
        except OSError:
            pass
    return found


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    found = docker_api()
    if found:
        raise RuntimeError(f"Docker API reachable: {found}")
    return None, None
