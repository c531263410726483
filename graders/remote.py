"""The proxies exercise tests call through: `solution`, `reference` and the objects they return.

`solution.kmeans(X, 3, seed=0)` in a test is `RemoteRef.__call__`: it pickles the arguments
(checker -> worker is the trusted direction), sends them through the side's `Endpoint`, and gets
back a value rebuilt by `graders.codec.decode` (worker -> checker is the untrusted direction).
Calling a candidate class returns a `RemoteRef` to the instance, which stays in the worker; its
methods are remote calls too, and it can be passed back as an argument to the same side.
"""

from __future__ import annotations

import io
import pickle
from typing import Any

from graders import codec
from graders.endpoint import Endpoint, StaysRemote
from graders.errors import UnsafeValue


def _wrap_handles(endpoint: Endpoint, value: Any) -> Any:
    if isinstance(value, codec.RemoteHandle):
        return RemoteRef(endpoint, [value.handle_id], value.type_name)
    return value


def remote_call(
    endpoint: Endpoint, path: list[Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[Any, float]:
    """Call the remote callable at `path`; return its value and the round trip in seconds."""
    payload = _pickle_arguments((args, kwargs), endpoint)
    value, elapsed = endpoint.request("call", {"target": path}, [payload])
    return _wrap_handles(endpoint, value), elapsed


def inspect_call(
    ref: RemoteRef, *args: Any, **kwargs: Any
) -> tuple[Any, list[Any], dict[str, Any]]:
    """Call a remote function and also get its arguments back as the call left them.

    For tests that a function does not modify its inputs: compare what comes back with what
    went in. Arguments must be plain data (arrays, numbers, containers), as results are.
    """
    endpoint, path = _parts(ref)
    payload = _pickle_arguments((args, kwargs), endpoint)
    value, _ = endpoint.request("call", {"target": path, "return_args": True}, [payload])
    if not (
        isinstance(value, tuple)
        and len(value) == 3
        and isinstance(value[1], list)
        and isinstance(value[2], dict)
    ):
        raise UnsafeValue("the worker did not send the call's arguments back")
    return value[0], value[1], value[2]


def remote_getattr(endpoint: Endpoint, path: list[Any], name: str) -> Any:
    value, _ = endpoint.request("getattr", {"target": path, "name": name}, [])
    if isinstance(value, StaysRemote):
        return RemoteRef(endpoint, [*path, name])
    return _wrap_handles(endpoint, value)


def remote_setattr(endpoint: Endpoint, path: list[Any], name: str, value: Any) -> None:
    payload = _pickle_arguments((value,), endpoint)
    endpoint.request("setattr", {"target": path, "name": name}, [payload])


class _ArgumentPickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, endpoint: Endpoint) -> None:
        super().__init__(file, protocol=5)
        self.endpoint = endpoint

    def persistent_id(self, obj: Any) -> Any:
        if type(obj) is RemoteRef:
            ref_endpoint, path = _parts(obj)
            if ref_endpoint is not self.endpoint or len(path) != 1 or type(path[0]) is not int:
                raise TypeError("a remote object can only be passed back to the side that made it")
            return ("handle", path[0])
        return None


def _pickle_arguments(value: Any, endpoint: Endpoint) -> bytes:
    buffer = io.BytesIO()
    _ArgumentPickler(buffer, endpoint).dump(value)
    return buffer.getvalue()


class RemoteRef:
    """A function, class, module or object living in a worker; attribute access and calls go there.

    Module attributes resolve lazily (`solution.kmeans` costs nothing until called); attributes of
    remote objects are fetched (`net.weights` returns the array). Dunder names are never proxied,
    so pickling, copying and pytest's introspection see a plain local object.
    """

    __slots__ = ("_endpoint", "_path", "_type_name")

    def __init__(self, endpoint: Endpoint, path: list[Any], type_name: str = "") -> None:
        object.__setattr__(self, "_endpoint", endpoint)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_type_name", type_name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        endpoint, path = _parts(self)
        if path == ["module"]:
            return RemoteRef(endpoint, [*path, name])
        return remote_getattr(endpoint, path, name)

    def __setattr__(self, name: str, value: Any) -> None:
        remote_setattr(*_parts(self), name, value)

    def __bool__(self) -> bool:
        # A remote object is not data: `assert solution.check(x)` must test a returned value.
        raise TypeError("a remote object has no truth value; test the value a call returns")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        value, _ = remote_call(*_parts(self), args, kwargs)
        return value

    def __repr__(self) -> str:
        endpoint, path = _parts(self)
        shown = ".".join(["solution" if p == "module" else str(p) for p in path])
        type_name = object.__getattribute__(self, "_type_name")
        suffix = f" ({type_name} instance)" if type_name else ""
        return f"<{endpoint.settings.name}: {shown}{suffix}>"


def timed_call(ref: RemoteRef, *args: Any, **kwargs: Any) -> tuple[Any, float]:
    """Call a remote function and also return the seconds the round trip took (for speed tests).

    The clock runs in the checker from just before the request is sent until the whole reply
    is in: the candidate cannot shorten it by patching its own clocks.
    """
    return remote_call(*_parts(ref), args, kwargs)


def endpoint_of(ref: RemoteRef) -> Endpoint:
    return _parts(ref)[0]


def _parts(ref: RemoteRef) -> tuple[Endpoint, list[Any]]:
    # object.__getattribute__: RemoteRef's own __getattr__ would turn these into remote calls.
    return object.__getattribute__(ref, "_endpoint"), object.__getattribute__(ref, "_path")
