"""A worker: the process that imports the candidate's module and answers the checker's calls.

Forked by `graders.supervisor`, one at a time. It connects its own data channel to the checker,
imports `solution.py` (reporting how an import failed: encoding, syntax, exception, exit), then
serves getattr/call/setattr requests until the checker hangs up (`graders.remote` is the other
end). Arguments arrive pickled (the trusted direction); answers leave through `graders.codec`.
A call to a candidate class keeps the instance here and answers with a handle.

Nothing here is trusted by the checker: the candidate's code shares this process and can rewrite
any of it. Everything the checker believes it re-checks itself (`graders.codec.decode`).
"""

from __future__ import annotations

import argparse
import importlib.abc
import importlib.machinery
import io
import os
import pickle
import sys
import time
import traceback
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graders import codec
from graders.errors import UnsafeValue
from graders.imports import banned_by
from graders.text import MESSAGE_CHARS, TRACEBACK_CHARS, decode_solution
from graders.wire import PeerClosed, connect_unix, recv_frame, send_frame


class _RefusingLoader(importlib.abc.Loader):
    """Fails the import of a banned module, with a message that names the ban."""

    def __init__(self, message: str) -> None:
        self.message = message

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType | None:
        raise ModuleNotFoundError(self.message, name=spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        raise ModuleNotFoundError(self.message, name=module.__name__)


class _BannedImports(importlib.abc.MetaPathFinder):
    """Refuses banned modules when they are imported, not when they are looked up.

    Libraries probe for optional modules with `importlib.util.find_spec` (torch.optim's first use
    asks whether sklearn exists): a lookup must not raise, or a ban on sklearn breaks torch. The
    spec has no origin, so probes that read one treat the module as absent.
    """

    def __init__(self, banned: Sequence[str]) -> None:
        self.banned = tuple(banned)

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: types.ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        name = banned_by(fullname, self.banned)
        if name is None:
            return None
        message = f"{fullname} is not allowed in this exercise (banned: {name})"
        return importlib.machinery.ModuleSpec(fullname, _RefusingLoader(message), origin=None)


class _Unpickler(pickle.Unpickler):
    """Arguments from the checker (trusted): plain pickle, with remote handles mapped back."""

    def __init__(self, data: bytes, handles: dict[int, object]) -> None:
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
        sock = connect_unix(self.options.socket, time.monotonic() + 30.0)
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
        for loaded in [m for m in sys.modules if banned_by(m, self.options.banned)]:
            del sys.modules[loaded]
        sys.meta_path.insert(0, _BannedImports(self.options.banned))
        if self.options.support and os.path.isdir(self.options.support):
            sys.path.append(self.options.support)
        path = self.options.module
        try:
            source = decode_solution(Path(path).read_bytes())
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
                if header.get("return_args") is True:  # for tests that inputs stay unchanged
                    tree, out = codec.encode((result, list(args), kwargs))
                else:
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
        return str(exc)[:MESSAGE_CHARS]
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
        return traceback.format_exc()[-TRACEBACK_CHARS:]
    except BaseException:
        return ""


def _import_failure(kind: str, message: str, tb: str = "") -> dict[str, Any]:
    return {"ok": False, "kind": kind, "message": message[:MESSAGE_CHARS], "traceback": tb}


def _error_reply(kind: str, message: str, tb: str) -> tuple[dict[str, Any], list[bytes]]:
    return {"ok": False, "error": {"type": kind[:100], "message": message, "traceback": tb}}, []
