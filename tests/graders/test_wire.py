"""graders.wire: frames arrive whole, within limits and deadlines, or not at all."""

import socket
import struct
import time

import pytest

from graders.wire import FrameError, FrameLimits, FrameTimeout, PeerClosed, recv_frame, send_frame


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    yield a, b
    a.close()
    b.close()


def test_a_frame_with_large_buffers_arrives_intact(pair):
    a, b = pair
    payload = bytes(range(256)) * 20000
    import threading

    sender = threading.Thread(target=send_frame, args=(a, {"op": "x"}, [b"small", payload]))
    sender.start()
    header, buffers = recv_frame(b, deadline=time.monotonic() + 5)
    sender.join()
    assert header == {"op": "x"}
    assert bytes(buffers[0]) == b"small" and bytes(buffers[1]) == payload


def test_a_stalled_peer_hits_the_deadline(pair):
    a, b = pair
    a.sendall(b"TJ")
    started = time.monotonic()
    with pytest.raises(FrameTimeout):
        recv_frame(b, deadline=time.monotonic() + 0.2)
    assert time.monotonic() - started < 2


def test_a_closed_peer_is_reported(pair):
    a, b = pair
    a.close()
    with pytest.raises(PeerClosed):
        recv_frame(b, deadline=time.monotonic() + 1)


def test_garbage_and_oversized_frames_are_refused(pair):
    a, b = pair
    a.sendall(b"XX" + struct.pack(">II", 2, 0) + b"{}")
    with pytest.raises(FrameError, match="not a TensorJudge frame"):
        recv_frame(b, deadline=time.monotonic() + 1)


def test_a_declared_size_over_the_limit_is_refused_before_reading_it(pair):
    a, b = pair
    a.sendall(b"TJ" + struct.pack(">II", 2, 1) + b"{}" + struct.pack(">Q", 10**12))
    with pytest.raises(FrameError, match="larger than"):
        recv_frame(b, deadline=time.monotonic() + 1, limits=FrameLimits(max_total_bytes=10**6))


def test_a_header_that_is_not_a_json_object_is_refused(pair):
    a, b = pair
    a.sendall(b"TJ" + struct.pack(">II", 2, 0) + b"[]")
    with pytest.raises(FrameError, match="JSON object"):
        recv_frame(b, deadline=time.monotonic() + 1)
