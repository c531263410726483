"""Frames on a stream socket: a JSON header plus raw byte buffers, with sizes checked on receipt.

    frame  = b"TJ" | header_len:u32 | buffer_count:u32 | header (UTF-8 JSON) | buffer*
    buffer = length:u64 | bytes

The receiving side states how much it accepts (`FrameLimits`) and a deadline: a peer that sends
too much, sends garbage or stalls gets `FrameError`/`FrameTimeout`, never an unbounded read.
"""

from __future__ import annotations

import json
import socket
import struct
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_MAGIC = b"TJ"
_PREFIX = struct.Struct(">2sII")
_BUFFER_LEN = struct.Struct(">Q")
_COALESCE_BYTES = 64 * 1024


class FrameError(Exception):
    """The peer sent something that is not a well-formed frame within the limits."""


class FrameTimeout(FrameError):
    """The deadline passed before a whole frame arrived."""


class PeerClosed(FrameError):
    """The peer closed the connection (or died) before a whole frame arrived."""


@dataclass(frozen=True)
class FrameLimits:
    max_header_bytes: int = 16 * 1024 * 1024
    max_buffers: int = 100_000
    max_total_bytes: int = 1024 * 1024 * 1024


DEFAULT_FRAME_LIMITS = FrameLimits()


def send_frame(
    sock: socket.socket,
    header: dict[str, Any],
    buffers: Sequence[bytes | bytearray] = (),
    *,
    deadline: float | None = None,
) -> None:
    """Send one frame before `deadline` (time.monotonic(); None: no limit) or raise FrameTimeout.

    The deadline is set afresh on every write: a socket keeps the last timeout it was given, and
    a send must never inherit what a receive left behind.
    """
    head = json.dumps(header, separators=(",", ":"), allow_nan=False).encode()
    pending = bytearray(_PREFIX.pack(_MAGIC, len(head), len(buffers)))
    pending += head
    for buf in buffers:
        pending += _BUFFER_LEN.pack(len(buf))
        if len(buf) < _COALESCE_BYTES:
            pending += buf
        else:  # big arrays go out as they are, without a copy into `pending`
            _send_all(sock, pending, deadline)
            _send_all(sock, buf, deadline)
            pending = bytearray()
    if pending:
        _send_all(sock, pending, deadline)


def _arm(sock: socket.socket, deadline: float | None, doing: str) -> None:
    """Give the socket what is left of `deadline` (None: block), or raise FrameTimeout."""
    if deadline is None:
        sock.settimeout(None)
        return
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FrameTimeout(f"timed out {doing}")
    sock.settimeout(remaining)


def _send_all(sock: socket.socket, data: bytes | bytearray, deadline: float | None) -> None:
    _arm(sock, deadline, "sending to the peer")
    try:
        sock.sendall(data)
    except TimeoutError as exc:
        raise FrameTimeout("timed out sending to the peer") from exc


def _recv_exact(sock: socket.socket, size: int, deadline: float | None) -> bytearray:
    data = bytearray(size)
    view = memoryview(data)
    got = 0
    while got < size:
        _arm(sock, deadline, "waiting for the peer")
        try:
            n = sock.recv_into(view[got:], min(size - got, 4 * 1024 * 1024))
        except TimeoutError as exc:
            raise FrameTimeout("timed out waiting for the peer") from exc
        except OSError as exc:  # ECONNRESET and friends: the peer died mid-frame
            raise PeerClosed(f"connection lost: {exc}") from exc
        if n == 0:
            raise PeerClosed("the peer closed the connection")
        got += n
    return data


def recv_frame(
    sock: socket.socket,
    *,
    deadline: float | None,
    limits: FrameLimits = DEFAULT_FRAME_LIMITS,
) -> tuple[dict[str, Any], list[bytearray]]:
    """Receive one frame before `deadline` (time.monotonic()); None waits forever."""
    magic, header_len, count = _PREFIX.unpack(_recv_exact(sock, _PREFIX.size, deadline))
    if magic != _MAGIC:
        raise FrameError("not a TensorJudge frame")
    if header_len > limits.max_header_bytes:
        raise FrameError(f"header of {header_len} bytes is over the limit")
    if count > limits.max_buffers:
        raise FrameError(f"{count} buffers is over the limit")
    try:
        header = json.loads(bytes(_recv_exact(sock, header_len, deadline)))
    except (ValueError, RecursionError) as exc:  # bad JSON, bad UTF-8, 5000-digit integers
        raise FrameError("header is not valid JSON") from exc
    if type(header) is not dict:
        raise FrameError("header is not a JSON object")
    buffers: list[bytearray] = []
    total = header_len
    for _ in range(count):
        (size,) = _BUFFER_LEN.unpack(_recv_exact(sock, _BUFFER_LEN.size, deadline))
        total += size
        if total > limits.max_total_bytes:
            raise FrameError(f"message larger than {limits.max_total_bytes // (1024 * 1024)} MiB")
        buffers.append(_recv_exact(sock, size, deadline))
    return header, buffers


def connect_unix(path: str, deadline: float) -> socket.socket:
    """Connect to a unix socket, retrying until it exists or `deadline` (monotonic) passes."""
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
