"""The untrusted side: a supervisor that forks workers, each serving the checker's calls.

Runs in the candidate's container (and, identically, in the reference's). Entry point:

    python -I -m graders.runner --socket /run/tj/rpc.sock --module /candidate/solution.py ...

The supervisor imports the preloaded frameworks once, connects to the checker (control channel),
and on request forks a worker. The worker imports the module, connects its own data channel and
answers getattr/call/setattr requests (`graders.remote` is the other end). The worker's
stdout/stderr go through a pipe the supervisor counts, so an output flood is cut off at the limit.

Nothing here is trusted by the checker: the candidate's code shares these processes and can
rewrite any of it. Everything the checker believes it re-checks itself (`graders.codec.decode`).
The supervisor only makes honest failures clear: which exit, which signal, out of memory or not.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib
import importlib.abc
import importlib.machinery
import os
import pickle
import selectors
import signal
import socket
import sys
import time
import traceback
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graders import codec
from graders.errors import UnsafeValue
from graders.wire import PeerClosed, recv_frame, send_frame

_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36
CONTROL_REPLY_TIMEOUT_S = 10.0
LINGER_AFTER_CHECKER_S = 30.0
MAX_MESSAGE_CHARS = 4000
MAX_TRACEBACK_CHARS = 8000
OUTPUT_TAIL_BYTES = 2048


def _prctl(option: int, value: int) -> None:
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


def _descendants(root: int) -> list[int]:
    """Every live process below `root` in the process tree, read from /proc.

    As a child subreaper the supervisor inherits its workers' orphans, so a double fork does not
    take a process out of this tree. (Never `kill(-1)`: outside a PID namespace, as in local
    runs, that would signal the whole machine.)
    """
    parents: dict[int, int] = {}
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
            parents[int(entry)] = int(fields[1])
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found: list[int] = []
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def _signal_descendants(sig: int, rounds: int = 1) -> None:
    """Send `sig` to every descendant; repeat while new ones appear (a fork bomb races us)."""
    me = os.getpid()
    for _ in range(rounds):
        targets = _descendants(me)
        if not targets:
            return
        for pid in targets:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)


def _connect(path: str, deadline: float) -> socket.socket:
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


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
            # while the reference is being timed. SIGSTOP cannot be caught or ignored.
            _signal_descendants(signal.SIGSTOP, rounds=3)
            self.send({"event": "frozen"})
        elif cmd == "thaw":
            _signal_descendants(signal.SIGCONT, rounds=3)
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
        _signal_descendants(signal.SIGKILL, rounds=20)
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
                _signal_descendants(signal.SIGKILL, rounds=20)
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
    _prctl(_PR_SET_DUMPABLE, 1)
    Worker(options, generation).serve()


class _BannedImports(importlib.abc.MetaPathFinder):
    def __init__(self, banned: Sequence[str]) -> None:
        self.banned = tuple(banned)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        for name in self.banned:
            if fullname == name or fullname.startswith(name + "."):
                raise ImportError(f"{fullname} is not allowed in this exercise (banned: {name})")
        return None


class _Unpickler(pickle.Unpickler):
    """Arguments from the checker (trusted): plain pickle, with remote handles mapped back."""

    def __init__(self, data: bytes, handles: dict[int, object]) -> None:
        import io

        super().__init__(io.BytesIO(data))
        self.handles = handles

    def persistent_load(self, pid: Any) -> object:
        kind, handle_id = pid
        if kind != "handle" or handle_id not in self.handles:
            raise pickle.UnpicklingError(f"unknown remote object {handle_id!r}")
        return self.handles[handle_id]


class Worker:
    """Imports the module and answers one request at a time until the checker hangs up."""

    def __init__(self, options: argparse.Namespace, generation: int) -> None:
        self.options = options
        self.generation = generation
        self.handles: dict[int, object] = {}
        self.module: types.ModuleType | None = None

    def serve(self) -> None:
        sock = _connect(self.options.socket, time.monotonic() + 30.0)
        import_status = self.import_module()
        send_frame(
            sock,
            {
                "role": "worker",
                "pid": os.getpid(),
                "generation": self.generation,
                "import": import_status,
            },
        )
        if not import_status["ok"]:
            return
        while True:
            try:
                header, buffers = recv_frame(sock, deadline=None)
            except PeerClosed:
                return
            reply, reply_buffers = self.handle(header, buffers)
            send_frame(sock, reply, reply_buffers)

    def import_module(self) -> dict[str, Any]:
        for name in self.options.banned:
            for loaded in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
                del sys.modules[loaded]
        sys.meta_path.insert(0, _BannedImports(self.options.banned))
        if self.options.support and os.path.isdir(self.options.support):
            sys.path.append(self.options.support)
        path = self.options.module
        try:
            source = Path(path).read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            return _import_failure("encoding", f"solution.py is not valid UTF-8: {exc}")
        try:
            code = compile(source, "solution.py", "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:
            return _import_failure("syntax", _one_line(exc), traceback.format_exc(limit=0))
        module = types.ModuleType("solution")
        module.__file__ = "solution.py"
        sys.modules["solution"] = module
        try:
            exec(code, module.__dict__)
        except SystemExit as exc:
            return _import_failure("exit", f"the module called exit({exc.code!r}) while importing")
        except BaseException as exc:
            return _import_failure("exception", _one_line(exc), _tail_traceback())
        self.module = module
        return {"ok": True}

    def handle(
        self, header: dict[str, Any], buffers: list[bytearray]
    ) -> tuple[dict[str, Any], list[bytes]]:
        op = header.get("op")
        try:
            target = self.resolve(header.get("target", []))
            if op == "getattr":
                value = getattr(target, str(header["name"]))
                return self.describe(value)
            if op == "call":
                args, kwargs = _Unpickler(bytes(buffers[0]), self.handles).load()
                result = target(*args, **kwargs)
                if isinstance(target, type):  # constructing a candidate class: keep it here
                    handle_id = len(self.handles) + 1
                    self.handles[handle_id] = result
                    return {"ok": True, "value": ["handle", handle_id, type(result).__name__]}, []
                tree, out = codec.encode(result)
                return {"ok": True, "value": tree}, out
            if op == "setattr":
                (value,) = _Unpickler(bytes(buffers[0]), self.handles).load()
                setattr(target, str(header["name"]), value)
                return {"ok": True, "value": ["none"]}, []
            return _error_reply("ProtocolError", f"unknown op {op!r}", "")
        except UnsafeValue as exc:
            return {
                "ok": False,
                "unsafe": True,
                "error": {"type": "UnsafeValue", "message": str(exc)},
            }, []
        except BaseException as exc:
            return _error_reply(type(exc).__name__, _safe_str(exc), _tail_traceback())

    def resolve(self, path: list[Any]) -> Any:
        if not path:
            raise ValueError("empty target")
        root, *names = path
        if root == "module":
            obj: Any = self.module
        elif type(root) is int and root in self.handles:
            obj = self.handles[root]
        else:
            raise LookupError(f"unknown remote object {root!r}")
        for name in names:
            obj = getattr(obj, str(name))
        return obj

    def describe(self, value: object) -> tuple[dict[str, Any], list[bytes]]:
        """Answer a getattr: plain data travels as a value, anything else stays here as a ref."""
        if callable(value) or isinstance(value, types.ModuleType):
            return {"ok": True, "kind": "ref", "class": isinstance(value, type)}, []
        try:
            tree, out = codec.encode(value)
        except UnsafeValue:
            return {"ok": True, "kind": "ref", "class": False}, []
        return {"ok": True, "kind": "value", "value": tree}, out


def _safe_str(exc: BaseException) -> str:
    try:
        return str(exc)[:MAX_MESSAGE_CHARS]
    except BaseException:
        return "<unprintable exception>"


def _one_line(exc: BaseException) -> str:
    text = _safe_str(exc).strip().splitlines()
    name = type(exc).__name__
    if isinstance(exc, SyntaxError) and exc.lineno:
        return f"{name}: {exc.msg} (solution.py, line {exc.lineno})"
    return f"{name}: {text[0]}" if text else name


def _tail_traceback() -> str:
    try:
        return traceback.format_exc()[-MAX_TRACEBACK_CHARS:]
    except BaseException:
        return ""


def _import_failure(kind: str, message: str, tb: str = "") -> dict[str, Any]:
    return {"ok": False, "kind": kind, "message": message[:MAX_MESSAGE_CHARS], "traceback": tb}


def _error_reply(kind: str, message: str, tb: str) -> tuple[dict[str, Any], list[bytes]]:
    return {"ok": False, "error": {"type": kind[:100], "message": message, "traceback": tb}}, []


def _preload(modules: list[str]) -> None:
    for name in modules:
        importlib.import_module(name)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="graders.runner")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--module", required=True)
    parser.add_argument("--support", default="")
    parser.add_argument("--preload", default="")
    parser.add_argument("--banned", default="")
    parser.add_argument("--output-limit", type=int, default=1024 * 1024)
    options = parser.parse_args(argv)
    options.preload = [m for m in options.preload.split(",") if m]
    options.banned = [m for m in options.banned.split(",") if m]
    return options


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_args(argv)
    _prctl(_PR_SET_DUMPABLE, 0)  # the candidate (same uid) cannot ptrace or read our memory
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)  # orphans of the candidate come back to us to be reaped
    started = time.monotonic()
    _preload(options.preload)
    preload_s = time.monotonic() - started
    control = _connect(options.socket, time.monotonic() + 60.0)
    send_frame(control, {"role": "supervisor", "pid": os.getpid(), "preload_s": preload_s})
    Supervisor(control, options).serve()


if __name__ == "__main__":
    main()
