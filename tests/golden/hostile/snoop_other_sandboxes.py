"""Hostile: looks for the checker's and the reference's channels and connects to them.

Tries every unix socket it can list (/proc/net/unix, including abstract ones), the mounts it
can see, and /proc/1/root. A connection to anything but its own socket is reported as an error.
"""
# expect: WRONG_ANSWER
import os
import socket


def reachable_sockets():
    reached = []
    try:
        with open("/proc/net/unix") as f:
            lines = f.read().splitlines()[1:]
    except OSError:
        lines = []
    for line in lines:
        parts = line.split()
        if len(parts) < 8:
            continue
        path = parts[7]
        address = "\0" + path[1:] if path.startswith("@") else path
        if address == "/run/tj/rpc.sock":
            continue  # its own channel to the checker
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(0.5)
        try:
            sock.connect(address)
            reached.append(path)
        except OSError:
            pass
        finally:
            sock.close()
    for name in os.listdir("/run/tj") if os.path.isdir("/run/tj") else []:
        if name != "rpc.sock":
            reached.append(f"/run/tj/{name}")
    if os.path.exists("/proc/1/root/exercise/tests"):
        reached.append("/proc/1/root/exercise/tests")
    return reached


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    reached = reachable_sockets()
    if reached:
        raise RuntimeError(f"reached {reached}")
    return None, None
