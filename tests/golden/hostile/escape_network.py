"""Hostile: tries to reach anything over the network: loopback services, the Docker bridge
gateway (Redis, PostgreSQL, the Docker API), the cloud metadata service, public DNS.

Any connection or name resolution that works is raised as an error.
"""
# expect: WRONG_ANSWER
import socket

TARGETS = [("127.0.0.1", p) for p in (22, 80, 2375, 5432, 6379, 8000, 8080)] + [
    ("172.17.0.1", 2375), ("172.17.0.1", 6379), ("172.17.0.1", 5432), ("169.254.169.254", 80),
    ("8.8.8.8", 53), ("1.1.1.1", 443), ("10.0.0.1", 80), ("::1", 6379),
]


def escaped():
    reached = []
    for host, port in TARGETS:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                reached.append(f"{host}:{port}")
        except OSError:
            pass
    for name in ("example.com", "pypi.org", "metadata.google.internal"):
        try:
            socket.getaddrinfo(name, 80)
            reached.append(f"dns {name}")
        except OSError:
            pass
    try:
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.sendto(b"exfiltrate", ("8.8.8.8", 53))
        reached.append("udp 8.8.8.8")
    except OSError:
        pass
    return reached


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    reached = escaped()
    if reached:
        raise RuntimeError(f"escaped to {reached}")
    return None, None
