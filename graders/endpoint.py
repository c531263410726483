"""The checker's end of one side (candidate or reference): its supervisor and current worker.

`Endpoint` listens on the side's socket, accepts the supervisor's control channel, has a worker
forked when one is needed (skipping stale connections of earlier ones), sends one request at a
time under the call's time limit, and turns every way that can go wrong into an exception from
`graders.errors`: the candidate raised (CandidateError, also an instance of the matching
built-in so `pytest.raises(ValueError)` works), hung (CandidateTimeout: the worker is killed),
died (CandidateCrashed: a new worker is forked for the next call), did not import
(CandidateImportFailed) or sent something unacceptable (UnsafeValue). On the reference's side
every failure is a ReferenceFailed instead: the exercise or the machine is at fault.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from typing import Any

from graders import codec
from graders.errors import (
    CandidateCrashed,
    CandidateFault,
    CandidateImportFailed,
    CandidateTimeout,
    ReferenceFailed,
    SandboxFault,
    UnsafeValue,
    remote_exception,
)
from graders.wire import (
    FrameError,
    FrameLimits,
    FrameTimeout,
    PeerClosed,
    recv_frame,
    send_frame,
)

CONTROL_TIMEOUT_S = 10.0
REPLY_FRAME_LIMITS = FrameLimits(max_total_bytes=256 * 1024 * 1024)


@dataclass
class EndpointSettings:
    name: str  # "candidate" or "reference"
    socket_path: str
    call_timeout_s: float = 10.0
    start_timeout_s: float = 120.0  # container start + preloading torch on a loaded machine
    import_timeout_s: float = 20.0
    max_consecutive_timeouts: int = 3
    # What a worker may send back in one reply: generous for arrays, far below the checker's memory.
    frame_limits: FrameLimits = REPLY_FRAME_LIMITS
    codec_limits: codec.CodecLimits = codec.DEFAULT_LIMITS


@dataclass
class ImportFailure:
    kind: str  # encoding, syntax, exception, exit, timeout, memory, crash
    message: str
    traceback: str = ""


class Endpoint:
    """One side (candidate or reference) as the checker sees it: a supervisor and a worker."""

    def __init__(self, settings: EndpointSettings) -> None:
        self.settings = settings
        self.call_timeout_s = settings.call_timeout_s
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.lexists(settings.socket_path):
            os.unlink(settings.socket_path)
        self.listener.bind(settings.socket_path)
        # The socket's directory is mounted read-only on the worker's side; it needs write
        # permission on the socket itself to connect (a different uid runs there).
        os.chmod(settings.socket_path, 0o777)
        self.listener.listen(8)
        self.control: socket.socket | None = None
        self.worker: socket.socket | None = None
        self.dead_reason: str | None = None
        self.start_failed = False
        self.consecutive_timeouts = 0
        self.import_failure: ImportFailure | None = None
        self.pending_exits: list[dict[str, Any]] = []
        self.workers_started = 0
        self.preload_s: float | None = None

    @property
    def is_reference(self) -> bool:
        return self.settings.name == "reference"

    # -- connections --------------------------------------------------------------------------

    def _accept(self, deadline: float) -> socket.socket:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FrameTimeout("nothing connected in time")
        self.listener.settimeout(remaining)
        try:
            conn, _ = self.listener.accept()
        except TimeoutError as exc:
            raise FrameTimeout("nothing connected in time") from exc
        return conn

    def _ensure_control(self) -> socket.socket:
        if self.control is not None:
            return self.control
        deadline = time.monotonic() + self.settings.start_timeout_s
        try:
            conn = self._accept(deadline)
            hello, _ = recv_frame(conn, deadline=deadline, limits=self.settings.frame_limits)
        except FrameError as exc:
            # No candidate code has run yet: a sandbox that never comes up is the platform's fault.
            self.start_failed = True
            self._die(f"the {self.settings.name} sandbox did not start: {exc}")
            raise self._dead() from exc
        if hello.get("role") != "supervisor":
            conn.close()
            self.start_failed = True
            self._die(f"the {self.settings.name} sandbox sent an unexpected greeting")
            raise self._dead()
        preload = hello.get("preload_s")
        self.preload_s = float(preload) if isinstance(preload, int | float) else None
        self.control = conn
        return conn

    def _die(self, reason: str) -> None:
        self.dead_reason = self.dead_reason or reason
        for sock in (self.worker, self.control):
            if sock is not None:
                sock.close()
        self.worker = self.control = None

    def _dead(self) -> Exception:
        """The error for a call on a side whose container stopped answering (or never started).

        Once started, the candidate's container only stops if its own code brought it down
        (killed the supervisor, say): a crash of the candidate's. Before, it is the platform's.
        """
        reason = self.dead_reason or f"the {self.settings.name} sandbox stopped"
        if self.start_failed:
            return SandboxFault(reason) if not self.is_reference else ReferenceFailed(reason)
        return self._fault(CandidateCrashed(reason, cause="container"))

    def _fault(self, exc: CandidateFault | UnsafeValue) -> Exception:
        if self.is_reference:
            return ReferenceFailed(f"the reference solution failed: {exc}")
        return exc

    def control_request(self, cmd: str, expect: str, **fields: Any) -> dict[str, Any]:
        """Send a command to the supervisor and wait for its answer, keeping exit events."""
        if self.dead_reason:
            raise self._dead()
        control = self._ensure_control()
        deadline = time.monotonic() + CONTROL_TIMEOUT_S
        try:
            send_frame(control, {"cmd": cmd, **fields})
            while True:
                event, _ = recv_frame(control, deadline=deadline, limits=self.settings.frame_limits)
                if event.get("event") == "exit":
                    self.pending_exits.append(event)
                if event.get("event") == expect:
                    return event
        except (FrameError, OSError) as exc:
            self._die(f"the {self.settings.name} sandbox stopped answering ({exc})")
            raise self._dead() from exc

    def _await_exit(self) -> dict[str, Any] | None:
        """After a worker vanished: the supervisor's account of how it ended, if it gives one."""
        if self.pending_exits:
            return self.pending_exits.pop()
        if self.control is None:
            return None
        deadline = time.monotonic() + 5.0
        try:
            while True:
                event, _ = recv_frame(
                    self.control, deadline=deadline, limits=self.settings.frame_limits
                )
                if event.get("event") == "exit":
                    return event
        except (FrameError, OSError):
            self._die(f"the {self.settings.name} sandbox stopped answering")
            return None

    def _ensure_worker(self) -> socket.socket:
        if self.import_failure is not None:
            raise self._fault(
                CandidateImportFailed(self.import_failure.message, kind=self.import_failure.kind)
            )
        if self.worker is not None:
            return self.worker
        self.pending_exits.clear()
        self.workers_started += 1
        generation = self.workers_started
        self.control_request("spawn", "spawned", generation=generation)
        deadline = time.monotonic() + self.settings.import_timeout_s
        try:
            conn, hello = self._accept_worker(generation, deadline)
        except FrameTimeout as exc:
            self.kill_worker()
            failure = ImportFailure(
                "timeout",
                f"the module took longer than {self.settings.import_timeout_s:g} s to import",
            )
            raise self._import_failed(failure) from exc
        except FrameError as exc:
            failure = self._import_crash(self._await_exit())
            raise self._import_failed(failure) from exc
        status = hello.get("import")
        if not isinstance(status, dict) or not status.get("ok"):
            conn.close()
            status = status if isinstance(status, dict) else {}
            failure = ImportFailure(
                str(status.get("kind", "exception"))[:40],
                str(status.get("message", "the module did not import"))[:4000],
                str(status.get("traceback", ""))[:8000],
            )
            raise self._import_failed(failure)
        self.worker = conn
        return conn

    def _accept_worker(
        self, generation: int, deadline: float
    ) -> tuple[socket.socket, dict[str, Any]]:
        """Accept the connection of the worker just spawned, skipping any left by older ones."""
        while True:
            conn = self._accept(deadline)
            try:
                hello, _ = recv_frame(conn, deadline=deadline, limits=self.settings.frame_limits)
            except FrameTimeout:
                conn.close()
                raise
            except FrameError:
                conn.close()
                if self.pending_exits or self._worker_gone():
                    raise
                continue
            if hello.get("role") == "worker" and hello.get("generation") == generation:
                return conn, hello
            conn.close()

    def _worker_gone(self) -> bool:
        """Whether the supervisor has reported the current worker's exit (without waiting)."""
        if self.control is None:
            return True
        try:
            event, _ = recv_frame(
                self.control, deadline=time.monotonic() + 0.05, limits=self.settings.frame_limits
            )
        except FrameTimeout:
            return False
        except (FrameError, OSError):
            self._die(f"the {self.settings.name} sandbox stopped answering")
            return True
        if event.get("event") == "exit":
            self.pending_exits.append(event)
            return True
        return False

    def _import_crash(self, exit_info: dict[str, Any] | None) -> ImportFailure:
        cause, description = _describe_exit(exit_info)
        kind = "memory" if cause == "memory" else "crash"
        return ImportFailure(kind, f"the module did not finish importing: {description}")

    def _import_failed(self, failure: ImportFailure) -> Exception:
        self.import_failure = failure
        return self._fault(CandidateImportFailed(failure.message, kind=failure.kind))

    def kill_worker(self) -> None:
        if self.worker is not None:
            self.worker.close()
            self.worker = None
        if self.control is not None and not self.dead_reason:
            self.control_request("kill", "killed")

    def freeze(self) -> None:
        """Stop every process on this side (between calls: see speed timing)."""
        self.control_request("freeze", "frozen")

    def thaw(self) -> None:
        self.control_request("thaw", "thawed")

    def close(self) -> None:
        for sock in (self.worker, self.control, self.listener):
            if sock is not None:
                sock.close()

    # -- requests -----------------------------------------------------------------------------

    def request(self, header: dict[str, Any], buffers: list[bytes]) -> tuple[Any, float]:
        """Send one request to the worker; return the decoded value and the seconds it took.

        After `max_consecutive_timeouts` calls in a row have timed out, further calls fail at
        once: code that hangs everywhere costs a few time limits, not one per remaining call.
        """
        limit = self.settings.max_consecutive_timeouts
        if self.consecutive_timeouts >= limit:
            raise self._fault(
                CandidateTimeout(f"not run: the code's last {limit} calls all timed out")
            )
        worker = self._ensure_worker()
        timeout_s = self.call_timeout_s
        started = time.perf_counter()
        deadline = time.monotonic() + timeout_s
        try:
            send_frame(worker, header, buffers)
            reply, reply_buffers = recv_frame(
                worker, deadline=deadline, limits=self.settings.frame_limits
            )
        except FrameTimeout as exc:
            self.consecutive_timeouts += 1
            self.kill_worker()
            raise self._fault(
                CandidateTimeout(
                    f"the call did not return within {timeout_s:g} s (the worker was stopped)"
                )
            ) from exc
        except (PeerClosed, OSError) as exc:
            worker.close()
            self.worker = None
            cause, description = _describe_exit(self._await_exit())
            raise self._fault(
                CandidateCrashed(f"the worker died during the call: {description}", cause=cause)
            ) from exc
        except FrameError as exc:  # garbage or too big: the stream is out of step, start over
            self.kill_worker()
            raise self._fault(UnsafeValue(f"the reply could not be accepted: {exc}")) from exc
        elapsed = time.perf_counter() - started
        self.consecutive_timeouts = 0
        return self._decode_reply(reply, reply_buffers), elapsed

    def _decode_reply(self, reply: dict[str, Any], buffers: list[bytearray]) -> Any:
        if reply.get("ok") is True:
            if reply.get("kind") == "ref":
                return StaysRemote(bool(reply.get("class")))
            try:
                value = codec.decode(reply.get("value"), buffers, self.settings.codec_limits)
            except UnsafeValue as exc:
                raise self._fault(exc) from exc
            return value
        error = reply.get("error")
        if not isinstance(error, dict):
            raise self._fault(UnsafeValue("the worker sent a malformed error"))
        kind = str(error.get("type", "Exception"))[:100]
        message = str(error.get("message", ""))[:4000]
        if reply.get("unsafe") is True:
            raise self._fault(UnsafeValue(message))
        raised = remote_exception(kind, message, str(error.get("traceback", ""))[:8000])
        if self.is_reference:
            raise ReferenceFailed(f"the reference solution raised {raised}")
        raise raised


def _describe_exit(info: dict[str, Any] | None) -> tuple[str, str]:
    """(cause, words) for a worker's end as the supervisor reported it."""
    if info is None:
        return "container", "its container stopped answering"
    if info.get("output_exceeded"):
        return "output", f"output limit exceeded ({info.get('output_bytes')} bytes written)"
    if info.get("oom"):
        return "memory", "out of memory (killed by the kernel at the memory limit)"
    sig = info.get("signal")
    if type(sig) is int:
        return "signal", f"killed by signal {sig}"
    return "exit", f"the process exited with status {info.get('code')}"


class StaysRemote:
    """A getattr answer saying 'this stays remote' (a function, a class, an unsendable object)."""

    def __init__(self, is_class: bool) -> None:
        self.is_class = is_class
