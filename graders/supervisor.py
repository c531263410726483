"""The supervisor: forks one worker at a time on the checker's request and reports how it ended.

Runs as the main process of the candidate's container (and of the reference's). It holds the
control channel to the checker, counts the worker's output through a pipe (cutting an output
flood off at the limit), kills the worker and every process below it on request or at a hang,
freezes them while the reference is being timed, and reports each exit: code, signal, out of
memory (from the cgroup's OOM-kill count), output exceeded. Its reports only label failures for
the verdict; they never make a test pass.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import selectors
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from graders.wire import PeerClosed, recv_frame, send_frame
from graders.worker import Worker

PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
CONTROL_REPLY_TIMEOUT_S = 10.0
LINGER_AFTER_CHECKER_S = 30.0
OUTPUT_TAIL_BYTES = 2048


def prctl(option: int, value: int) -> None:
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


def _oom_kills() -> int:
    """The OOM-kill count of this container's memory cgroup (v1 or v2); 0 if unreadable."""
    for path, key in (
        ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill"),
        ("/sys/fs/cgroup/memory.events", "oom_kill"),
    ):
        try:
            for line in Path(path).read_text().splitlines():
                name, _, value = line.partition(" ")
                if name == key:
                    return int(value)
        except (OSError, ValueError):
            continue
    return 0


def _descendants(root: int) -> dict[int, str]:
    """Every process below `root` in the process tree, with its state letter, read from /proc.

    As PID 1 of its container (or a child subreaper, in local runs) the supervisor inherits its
    workers' orphans, so a double fork does not take a process out of this tree. (Never
    `kill(-1)`: outside a PID namespace, as in local runs, that would signal the whole machine.)
    """
    parents: dict[int, tuple[int, str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may contain spaces or ')': split after the last.
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 1:
            parents[int(entry)] = (int(fields[1]), fields[0])
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in parents.items():
        children.setdefault(ppid, []).append(pid)
    found: dict[int, str] = {}
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found[child] = parents[child][1]
            stack.append(child)
    return found


def _stop_descendants(max_rounds: int = 200) -> bool:
    """SIGSTOP every descendant until none is left running; False if that never happens.

    A stopped process cannot fork, so each round leaves fewer running; repeating until the
    check comes back clean catches a chain of processes that each fork a successor and exit.
    "Clean" takes two scans in a row with the same processes, all stopped: a process may fork
    between its SIGSTOP and stopping, and its child is not in the scan that saw it stopped.
    """
    me = os.getpid()
    previous: set[int] | None = None
    for _ in range(max_rounds):
        processes = _descendants(me)
        running = [pid for pid, state in processes.items() if state not in "TtZX"]
        if not running and previous == set(processes):
            return True
        previous = set(processes) if not running else None
        for pid in running:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGSTOP)
    return False


def _kill_descendants() -> None:
    """Stop everything below us (so nothing forks any more), then SIGKILL it all."""
    _stop_descendants()
    me = os.getpid()
    for _ in range(20):
        targets = _descendants(me)
        if all(state in "ZX" for state in targets.values()):
            return
        for pid in targets:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)


def _continue_descendants() -> None:
    for pid in _descendants(os.getpid()):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGCONT)


class Supervisor:
    """Forks one worker at a time and reports how each one ended, on the control channel."""

    def __init__(self, control: socket.socket, options: argparse.Namespace) -> None:
        self.control = control
        self.options = options
        self.child: int | None = None
        self.child_started_oom_kills = 0
        self.output_fd: int | None = None
        self.output_bytes = 0
        self.output_tail = b""
        self.output_exceeded = False
        self.killed_by_us = False
        self.selector = selectors.DefaultSelector()
        self.wake_r, wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)

    def serve(self) -> None:
        self.selector.register(self.control, selectors.EVENT_READ, "control")
        self.selector.register(self.wake_r, selectors.EVENT_READ, "wake")
        while True:
            for key, _ in self.selector.select():
                if key.data == "control":
                    try:
                        header, _ = recv_frame(
                            self.control, deadline=time.monotonic() + CONTROL_REPLY_TIMEOUT_S
                        )
                    except PeerClosed:  # the checker is done (or gone)
                        self.kill_all()
                        # Stay up briefly so the host can read this container's peak memory
                        # from the engine before removing it; the host removes it sooner.
                        time.sleep(LINGER_AFTER_CHECKER_S)
                        return
                    self.command(str(header.get("cmd")), header)
                elif key.data == "wake":
                    with contextlib.suppress(BlockingIOError):
                        os.read(self.wake_r, 4096)
                    self.reap()
                elif key.data == "output":
                    self.drain_output()

    def command(self, cmd: str, header: dict[str, Any]) -> None:
        if cmd == "spawn":
            self.kill_all()
            generation = header.get("generation")
            self.spawn(generation if type(generation) is int else 0)
            self.send({"event": "spawned", "pid": self.child})
        elif cmd == "kill":
            self.kill_all()
            self.send({"event": "killed"})
        elif cmd == "freeze":
            # Stops every candidate process: it cannot burn the shared core (or precompute)
            # while the reference runs. SIGSTOP cannot be caught or ignored. If the processes
            # outrun us (a fork chain), they all die instead: the worker is forked afresh.
            if not _stop_descendants():
                self.kill_all()
            self.send({"event": "frozen"})
        elif cmd == "thaw":
            _continue_descendants()
            self.send({"event": "thawed"})
        else:
            self.send({"event": "error", "message": f"unknown command {cmd[:40]!r}"})

    def send(self, message: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            send_frame(self.control, message)

    def spawn(self, generation: int) -> None:
        read_fd, write_fd = os.pipe()
        self.child_started_oom_kills = _oom_kills()
        self.output_bytes, self.output_tail = 0, b""
        self.output_exceeded = self.killed_by_us = False
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                _become_worker(write_fd, self.options, generation)
            finally:
                os._exit(70)
        os.close(write_fd)
        os.set_blocking(read_fd, False)
        self.child = pid
        self.output_fd = read_fd
        self.selector.register(read_fd, selectors.EVENT_READ, "output")

    def kill_all(self) -> None:
        """SIGKILL every process below the supervisor, then reap them."""
        if self.child is not None:
            self.killed_by_us = True
        _kill_descendants()
        deadline = time.monotonic() + 5.0
        while self.child is not None and time.monotonic() < deadline:
            self.reap(block=True)

    def reap(self, block: bool = False) -> None:
        """Collect exited children (orphans too: we are their subreaper); report the worker's."""
        while not (block and self.child is None):
            try:
                pid, status = os.waitpid(-1, 0 if block else os.WNOHANG)
            except ChildProcessError:
                self.child = None if block else self.child
                return
            if pid == 0:
                return
            if pid == self.child:
                self.child_exited(status)

    def child_exited(self, status: int) -> None:
        self.drain_output()
        if self.output_fd is not None:
            self.selector.unregister(self.output_fd)
            os.close(self.output_fd)
            self.output_fd = None
        exit_info = {
            "event": "exit",
            "pid": self.child,
            "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
            "oom": _oom_kills() > self.child_started_oom_kills,
            "output_bytes": self.output_bytes,
            "output_exceeded": self.output_exceeded,
            "killed_by_supervisor": self.killed_by_us,
            "output_tail": self.output_tail.decode("utf-8", "replace"),
        }
        self.child = None
        self.send(exit_info)

    def drain_output(self) -> None:
        if self.output_fd is None:
            return
        while True:
            try:
                chunk = os.read(self.output_fd, 65536)
            except BlockingIOError:
                return
            if not chunk:
                return
            self.output_bytes += len(chunk)
            self.output_tail = (self.output_tail + chunk)[-OUTPUT_TAIL_BYTES:]
            if self.output_bytes > self.options.output_limit and not self.output_exceeded:
                self.output_exceeded = True
                _kill_descendants()
                return


def _become_worker(output_fd: int, options: argparse.Namespace, generation: int) -> None:
    """In the forked child: cut every inherited channel, then serve as a worker."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    # The control socket, the wakeup pipe and the selector must not reach the candidate's code.
    os.closerange(3, 65536)
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    sys.stdout = open(1, "w", buffering=1, closefd=False)  # noqa: SIM115 (lives until os._exit)
    sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115
    with contextlib.suppress(OSError), open("/proc/self/oom_score_adj", "w") as f:
        f.write("1000")  # under memory pressure the kernel kills the worker, not the supervisor
    prctl(PR_SET_DUMPABLE, 1)
    Worker(options, generation).serve()
