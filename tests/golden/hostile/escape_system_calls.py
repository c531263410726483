"""Hostile: the system calls container escapes start with: user and mount namespaces, mount,
ptrace of its supervisor and of init, keyctl, bpf, perf_event_open, io_uring, userfaultfd,
open_by_handle_at, vsock. Any call that succeeds is raised as an error.
"""
# expect: WRONG_ANSWER
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)
buffer = ctypes.create_string_buffer(256)
ATTEMPTS = {
    "unshare(NEWUSER)": lambda: libc.unshare(0x10000000),
    "unshare(NEWNS)": lambda: libc.unshare(0x00020000),
    "unshare(NEWNET)": lambda: libc.unshare(0x40000000),
    "mount": lambda: libc.mount(b"none", b"/tmp", b"tmpfs", 0, None),
    "ptrace(parent)": lambda: libc.ptrace(16, os.getppid(), 0, 0),
    "ptrace(init)": lambda: libc.ptrace(16, 1, 0, 0),
    "keyctl": lambda: libc.syscall(250, 0, 0, 0, 0),
    "bpf": lambda: libc.syscall(321, 0, buffer, 64),
    "perf_event_open": lambda: libc.syscall(298, buffer, 0, -1, -1, 0),
    "io_uring_setup": lambda: libc.syscall(425, 4, buffer),
    "userfaultfd": lambda: libc.syscall(323, 0),
    "open_by_handle_at": lambda: libc.syscall(304, -100, buffer, 0),
    "socket(AF_VSOCK)": lambda: libc.socket(40, 1, 0),
    "setns": lambda: libc.setns(0, 0),
    "chroot": lambda: libc.chroot(b"/tmp"),
}


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    allowed = [name for name, attempt in ATTEMPTS.items() if attempt() >= 0]
    if allowed:
        raise RuntimeError(f"allowed: {allowed}")
    return None, None
