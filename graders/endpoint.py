"""The checker's end of one side (candidate or reference): its supervisor and current worker.

`Endpoint` listens on the side's socket, accepts the supervisor's control channel, has a worker
forked when one is needed, sends one request at a time under the call's time limit, and turns
every way that can go wrong into an exception from `graders.errors`: the candidate raised
(CandidateError, also an instance of the matching built-in so `pytest.raises(ValueError)`
works), hung (CandidateTimeout: the worker is killed), died (CandidateCrashed: a new worker is
forked for the next call), did not import (CandidateImportFailed) or sent something unacceptable
(UnsafeValue). On the reference's side every failure is a ReferenceFailed instead: the exercise
or the machine is at fault.

Faults other than the candidate's own exceptions are also recorded in `faults`, so a test that
catches `Exception` cannot turn a hang or a crash into a pass (the plugin checks the record).
Everything the candidate's side says is bounded and cleaned (`graders.text.clean_text`).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import time
from dataclasses import dataclass
from typing import Any

from graders import codec
from graders.errors import (
    CandidateCrashed,
    CandidateError,
    CandidateFault,
    CandidateImportFailed,
    CandidateTimeout,
    ReferenceFailed,
    SandboxFault,
    UnsafeValue,
    remote_exception,
)
from graders.text import MESSAGE_CHARS, TRACEBACK_CHARS, clean_text
from graders.wire import FrameError, FrameLimits, FrameTimeout, PeerClosed, recv_frame, send_frame

CONTROL_TIMEOUT_S = 10.0
HELLO_TIMEOUT_S = 5.0  # a connection that says nothing this long is not the worker we spawned
# What a worker may send back in one reply: generous for arrays, far below the checker's memory.
# The header is only the value's outline (the data travels in buffers): 4 MiB is plenty.
REPLY_FRAME_LIMITS = FrameLimits(
    max_header_bytes=4 * 1024 * 1024, max_total_bytes=256 * 1024 * 1024
)


@dataclass
class EndpointSettings:
    name: str  # "candidate" or "reference"
    socket_path: str
    call_timeout_s: float = 10.0
    start_timeout_s: float = 120.0  # container start + preloading torch on a loaded machine
    import_timeout_s: float = 20.0
    max_consecutive_timeouts: int = 3
    total_call_time_s: float = 600.0  # all calls of the job together
    frame_limits: FrameLimits = REPLY_FRAME_LIMITS
    codec_limits: codec.CodecLimits = codec.DEFAULT_LIMITS


@dataclass
class ImportFailure:
    kind: str  # encoding, syntax, exception, exit, timeout, memory, crash
    message: str
    traceback: str = ""
    # Whether no call had reached this side yet. A later failure (a worker restarted after a
    # crash) may carry what hidden calls sent: its text must not reach a hidden report.
    first: bool = True


class WorkerVanished(Exception):
    """The spawned worker exited before it greeted the checker."""

    def __init__(self, exit_info: dict[str, Any] | None) -> None:
        super().__init__("the worker exited")
        self.exit_info = exit_info


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
        self.call_time_s = 0.0
        self.max_call_fraction = 0.0  # the slowest call, as a share of its time limit
        self.requests_sent = 0
        self.import_failure: ImportFailure | None = None
        self.exits: list[dict[str, Any]] = []
        self.workers_started = 0
        self.preload_s: float | None = None
        self.faults: list[Exception] = []
        # The side to freeze while this one runs (the reference freezes the candidate: on a
        # shared core the candidate's background processes would slow the reference down).
        self.partner: Endpoint | None = None

    @property
    def is_reference(self) -> bool:
        return self.settings.name == "reference"

    # -- failures -----------------------------------------------------------------------------

    def _die(self, reason: str) -> None:
        self.dead_reason = self.dead_reason or reason
        for sock in (self.worker, self.control):
            if sock is not None:
                sock.close()
        self.worker = self.control = None

    def _dead(self) -> Exception:
        """The error for a call on a side whose container stopped answering (or never started).

        Once started, the candidate's container only stops if its own code brought it down: a
        crash of the candidate's. Before, it is the platform's.
        """
        reason = self.dead_reason or f"the {self.settings.name} sandbox stopped"
        if self.start_failed:
            return SandboxFault(reason) if not self.is_reference else ReferenceFailed(reason)
        return self._fault(CandidateCrashed(reason, cause="container"))

    def _fault(self, exc: CandidateFault | UnsafeValue) -> Exception:
        if self.is_reference:
            return ReferenceFailed(f"the reference solution failed: {exc}")
        return exc

    # -- the control channel ------------------------------------------------------------------

    def _ensure_control(self) -> socket.socket:
        if self.dead_reason:
            raise self._dead()
        if self.control is not None:
            return self.control
        deadline = time.monotonic() + self.settings.start_timeout_s
        try:
            self.listener.settimeout(self.settings.start_timeout_s)
            conn, _ = self.listener.accept()
            hello, _ = recv_frame(conn, deadline=deadline, limits=self.settings.frame_limits)
        except (TimeoutError, OSError, FrameError) as exc:
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

    def _read_control(self, deadline: float) -> dict[str, Any]:
        """The supervisor's next event; exit events are also kept in `exits`."""
        if self.control is None:
            raise self._dead()
        try:
            event, _ = recv_frame(
                self.control, deadline=deadline, limits=self.settings.frame_limits
            )
        except FrameTimeout:
            raise
        except (FrameError, OSError) as exc:
            self._die(f"the {self.settings.name} sandbox stopped answering ({exc})")
            raise self._dead() from exc
        if event.get("event") == "exit":
            self.exits.append(event)
        return event

    def control_request(self, cmd: str, expect: str, **fields: Any) -> dict[str, Any]:
        """Send a command to the supervisor and wait for its answer."""
        control = self._ensure_control()
        deadline = time.monotonic() + CONTROL_TIMEOUT_S
        try:
            send_frame(control, {"cmd": cmd, **fields}, deadline=deadline)
            while True:
                event = self._read_control(deadline)
                if event.get("event") == expect:
                    return event
        except (FrameError, OSError) as exc:  # a timeout too: a supervisor that hangs is gone
            self._die(f"the {self.settings.name} sandbox stopped answering ({exc})")
            raise self._dead() from exc

    # -- the worker ---------------------------------------------------------------------------

    def _ensure_worker(self) -> socket.socket:
        if self.import_failure is not None:
            failure = self.import_failure
            raise self._fault(CandidateImportFailed(failure.message, kind=failure.kind))
        if self.worker is not None:
            return self.worker
        self.workers_started += 1
        generation = self.workers_started
        first = self.requests_sent == 0
        self.control_request("spawn", "spawned", generation=generation)
        deadline = time.monotonic() + self.settings.import_timeout_s
        try:
            conn, hello = self._accept_worker(generation, deadline)
        except FrameTimeout as exc:
            self.kill_worker()
            limit = self.settings.import_timeout_s
            raise self._import_failed(
                ImportFailure(
                    "timeout", f"the module took longer than {limit:g} s to import", first=first
                )
            ) from exc
        except WorkerVanished as exc:
            cause, description = _describe_exit(exc.exit_info)
            raise self._import_failed(
                ImportFailure(
                    "memory" if cause == "memory" else "crash",
                    f"the module did not finish importing: {description}",
                    first=first,
                )
            ) from exc
        status = hello.get("import")
        if not isinstance(status, dict) or not status.get("ok"):
            conn.close()
            self.kill_worker()
            status = status if isinstance(status, dict) else {}
            raise self._import_failed(
                ImportFailure(
                    clean_text(status.get("kind", "exception"), 40),
                    clean_text(status.get("message", "the module did not import"), MESSAGE_CHARS),
                    clean_text(status.get("traceback", ""), TRACEBACK_CHARS),
                    first=first,
                )
            )
        self.worker = conn
        return conn

    def _accept_worker(
        self, generation: int, deadline: float
    ) -> tuple[socket.socket, dict[str, Any]]:
        """Wait for the worker just spawned to connect and greet, or for the supervisor to say it
        exited. Connections that are not it (left by earlier workers, or opened by candidate
        processes) are closed and skipped."""
        assert self.control is not None
        exits_before = len(self.exits)
        with selectors.DefaultSelector() as selector:
            selector.register(self.listener, selectors.EVENT_READ, "listener")
            selector.register(self.control, selectors.EVENT_READ, "control")
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise FrameTimeout("the worker did not connect in time")
                for key, _ in selector.select(remaining):
                    if key.data == "control":
                        self._read_control(deadline)
                        if len(self.exits) > exits_before:
                            raise WorkerVanished(self.exits[-1])
                        continue
                    self.listener.settimeout(0)
                    try:
                        conn, _ = self.listener.accept()
                    except (BlockingIOError, TimeoutError):
                        continue
                    try:
                        hello, _ = recv_frame(
                            conn,
                            limits=self.settings.frame_limits,
                            deadline=min(deadline, time.monotonic() + HELLO_TIMEOUT_S),
                        )
                    except FrameError:
                        conn.close()
                        continue
                    if hello.get("role") == "worker" and hello.get("generation") == generation:
                        return conn, hello
                    conn.close()

    def _import_failed(self, failure: ImportFailure) -> Exception:
        self.import_failure = failure
        return self._fault(CandidateImportFailed(failure.message, kind=failure.kind))

    def kill_worker(self) -> dict[str, Any] | None:
        """Kill the worker and everything it started; return how it ended (if it was running).

        The supervisor reports the worker's exit before it answers `killed`, so the account of
        an exit that happened on its own (a crash) is in `exits` by then too.
        """
        if self.worker is not None:
            self.worker.close()
            self.worker = None
        exits_before = len(self.exits)
        if self.control is not None and not self.dead_reason:
            try:
                self.control_request("kill", "killed")
            except (CandidateFault, SandboxFault, ReferenceFailed):
                return None
        return self.exits[-1] if len(self.exits) > exits_before else None

    def _hold_partner(self) -> None:
        partner = self.partner
        if partner is not None and partner.control is not None and not partner.dead_reason:
            # A side that died has nothing left to freeze.
            with contextlib.suppress(CandidateFault, SandboxFault):
                partner.control_request("freeze", "frozen")

    def _release_partner(self) -> None:
        partner = self.partner
        if partner is not None and partner.control is not None and not partner.dead_reason:
            with contextlib.suppress(CandidateFault, SandboxFault):
                partner.control_request("thaw", "thawed")

    def close(self) -> None:
        for sock in (self.worker, self.control, self.listener):
            if sock is not None:
                sock.close()

    # -- requests -----------------------------------------------------------------------------

    def request(self, op: str, header: dict[str, Any], buffers: list[bytes]) -> tuple[Any, float]:
        """Send one request (`op`: getattr, call, setattr) to the worker; return the decoded
        value and the seconds the round trip took. Faults are also recorded in `faults`."""
        try:
            return self._request(op, header, buffers)
        except CandidateError:
            raise  # the candidate's own exception: a test may expect it
        except (CandidateFault, UnsafeValue, SandboxFault) as exc:
            self.faults.append(exc)
            raise

    def _request(self, op: str, header: dict[str, Any], buffers: list[bytes]) -> tuple[Any, float]:
        limit = self.settings.max_consecutive_timeouts
        if self.consecutive_timeouts >= limit:
            raise self._fault(
                CandidateTimeout(f"not run: the code's last {limit} calls all timed out")
            )
        budget = self.settings.total_call_time_s
        if self.call_time_s >= budget:
            raise self._fault(
                CandidateTimeout(
                    f"not run: the code has used all {budget:g} s of call time this job allows"
                )
            )
        worker = self._ensure_worker()
        timeout_s = min(self.call_timeout_s, budget - self.call_time_s)
        self._hold_partner()
        self.requests_sent += 1
        started = time.perf_counter()
        deadline = time.monotonic() + timeout_s
        try:
            send_frame(worker, {**header, "op": op}, buffers, deadline=deadline)
            reply, reply_buffers = recv_frame(
                worker, deadline=deadline, limits=self.settings.frame_limits
            )
        except FrameTimeout as exc:
            self.consecutive_timeouts += 1
            self.call_time_s += timeout_s
            self.kill_worker()
            raise self._fault(
                CandidateTimeout(
                    f"the call did not return within {timeout_s:g} s (the worker was stopped)"
                )
            ) from exc
        except (PeerClosed, OSError) as exc:
            cause, description = _describe_exit(self.kill_worker())
            raise self._fault(
                CandidateCrashed(f"the worker died during the call: {description}", cause=cause)
            ) from exc
        except FrameError as exc:  # garbage or too big: the stream is out of step, start over
            self.kill_worker()
            raise self._fault(UnsafeValue(f"the reply could not be accepted: {exc}")) from exc
        finally:
            self._release_partner()
        elapsed = time.perf_counter() - started
        self.call_time_s += elapsed
        self.max_call_fraction = max(self.max_call_fraction, elapsed / timeout_s)
        self.consecutive_timeouts = 0
        return self._decode_reply(op, reply, reply_buffers), elapsed

    def _decode_reply(self, op: str, reply: dict[str, Any], buffers: list[bytearray]) -> Any:
        if reply.get("ok") is True:
            if reply.get("kind") == "ref":
                if op != "getattr":
                    raise self._fault(UnsafeValue("a remote reference where a value was expected"))
                return StaysRemote(bool(reply.get("class")))
            try:
                return codec.decode(
                    reply.get("value"), buffers, self.settings.codec_limits, top_handle=op == "call"
                )
            except UnsafeValue as exc:
                raise self._fault(exc) from exc
        error = reply.get("error")
        if not isinstance(error, dict):
            raise self._fault(UnsafeValue("the worker sent a malformed error"))
        kind = clean_text(error.get("type", "Exception"), 100)
        message = clean_text(error.get("message", ""), MESSAGE_CHARS)
        if reply.get("unsafe") is True:
            raise self._fault(UnsafeValue(message))
        raised = remote_exception(
            kind, message, clean_text(error.get("traceback", ""), TRACEBACK_CHARS)
        )
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
    return "exit", f"the process exited with status {clean_text(info.get('code'), 20)}"


class StaysRemote:
    """A getattr answer saying 'this stays remote' (a function, a class, an unsendable object)."""

    def __init__(self, is_class: bool) -> None:
        self.is_class = is_class

    def __bool__(self) -> bool:
        raise TypeError("a remote object has no truth value")
