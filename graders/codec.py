"""The safe codec: how a value travels from the candidate's process to the checker.

The checker never unpickles what the candidate sends and never holds one of the candidate's
objects. A value is flattened by `encode` into a tree of tagged JSON nodes plus raw byte buffers,
and rebuilt by `decode` from nothing but built-in types, plain `numpy.ndarray`s of numeric dtype
and plain `torch.Tensor`s (subclasses of list, tuple and dict travel as their base type). So an
`__eq__` that always says True, an ndarray subclass with
`__array_function__`, a tensor subclass with `__torch_function__`, an object-dtype array, a
generator or a `__reduce__` payload cannot reach the checker: the encoder refuses them with a
message that names the type, and the decoder refuses any tree it did not expect.

`encode` runs in the candidate's process and can be tampered with; that is fine, because all the
trust is in `decode`, which checks every node, size and dtype itself.

Nodes (a JSON list whose first item is the tag):
    ["none"] ["bool", b] ["int", "123"] ["float", "0x1.8p+0"] ["complex", re_hex, im_hex]
    ["str", s] ["bytes", buf] ["list", [...]] ["tuple", [...]] ["dict", [[k, v], ...]]
    ["ndarray", dtype, shape, buf] ["scalar", dtype, buf]
    ["tensor", dtype, shape, buf, requires_grad, device]
    ["handle", handle_id, type_name]   (a remote object: see graders.remote)
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from graders.errors import UnsafeValue

JsonNode = list[Any]

# Little-endian numeric dtypes only: no object, string, void/structured or datetime dtypes.
ARRAY_DTYPES = frozenset(
    [
        "|b1",
        "|i1",
        "|u1",
        "<i2",
        "<u2",
        "<i4",
        "<u4",
        "<i8",
        "<u8",
        "<f2",
        "<f4",
        "<f8",
        "<c8",
        "<c16",
    ]
)
# torch dtype name -> numpy dtype used on the wire. bfloat16 travels as raw 16-bit words.
TENSOR_DTYPES: dict[str, str] = {
    "bool": "|b1",
    "uint8": "|u1",
    "int8": "|i1",
    "int16": "<i2",
    "int32": "<i4",
    "int64": "<i8",
    "float16": "<f2",
    "bfloat16": "<u2",
    "float32": "<f4",
    "float64": "<f8",
    "complex64": "<c8",
    "complex128": "<c16",
}
_DICT_KEY_TAGS = frozenset(["none", "bool", "int", "float", "str", "tuple", "scalar"])
MAX_DIMENSION = 2**40  # no honest array has a side this long; bounds the shape arithmetic


@dataclass(frozen=True)
class CodecLimits:
    """Bounds on one decoded value, so a hostile reply cannot exhaust the checker."""

    max_depth: int = 64
    max_nodes: int = 1_000_000
    max_str_chars: int = 4 * 1024 * 1024
    max_int_digits: int = 4300
    max_ndim: int = 32


DEFAULT_LIMITS = CodecLimits()


def _type_name(value: object) -> str:
    cls = type(value)
    module = getattr(cls, "__module__", "?")
    return f"{module}.{cls.__qualname__}" if module != "builtins" else cls.__qualname__


class _Encoder:
    def __init__(self, limits: CodecLimits) -> None:
        self.limits = limits
        self.buffers: list[bytes] = []

    def buffer(self, data: bytes) -> int:
        self.buffers.append(data)
        return len(self.buffers) - 1

    def encode(self, value: object, depth: int) -> JsonNode:
        if depth > self.limits.max_depth:
            raise UnsafeValue(
                f"value is nested more than {self.limits.max_depth} levels deep "
                "(or contains itself)"
            )
        cls = type(value)  # type(), not isinstance(): subclasses are refused, not trusted
        if value is None:
            return ["none"]
        if cls is bool:
            return ["bool", value]
        if cls is int:
            return ["int", str(value)]
        if cls is float:
            return ["float", float.hex(value)]  # type: ignore[arg-type]
        if cls is complex:
            return ["complex", float.hex(value.real), float.hex(value.imag)]  # type: ignore[attr-defined]
        if cls is str:
            return ["str", value]
        if cls is bytes:
            return ["bytes", self.buffer(value)]  # type: ignore[arg-type]
        # Containers travel as their base type, read through the base type's own methods: a
        # namedtuple or an OrderedDict arrives as a plain tuple or dict, whatever it overrides.
        # (issubclass on type(), not isinstance: a fake __class__ cannot get a value in here.)
        if issubclass(cls, tuple):
            items = tuple.__iter__(cast(tuple[Any, ...], value))
            return ["tuple", [self.encode(item, depth + 1) for item in items]]
        if issubclass(cls, list):
            items = list.__iter__(cast(list[Any], value))
            return ["list", [self.encode(item, depth + 1) for item in items]]
        if issubclass(cls, dict):
            pairs = dict.items(cast(dict[Any, Any], value))
            return [
                "dict",
                [[self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in pairs],
            ]
        if cls is np.ndarray:
            return self.encode_array(value)  # type: ignore[arg-type]
        if issubclass(cls, np.generic) and cls.__module__ == "numpy":  # np.float64, np.longlong...
            wire = (
                np.dtype(cls).newbyteorder("<") if np.dtype(cls).byteorder == ">" else np.dtype(cls)
            )
            if wire.str not in ARRAY_DTYPES:
                raise UnsafeValue(f"numpy scalars of type {cls.__name__} cannot be sent")
            data = np.asarray(value).astype(wire).tobytes()
            return ["scalar", wire.str, self.buffer(data)]
        torch = sys.modules.get("torch")  # never import torch just to look at a value
        if torch is not None and (cls is torch.Tensor or cls is torch.nn.Parameter):
            return self.encode_tensor(value, torch)
        raise UnsafeValue(
            f"a value of type {_type_name(value)} cannot be sent to the checker; return plain "
            "numbers, strings, lists, tuples, dicts, numpy arrays or torch tensors"
        )

    def encode_array(self, array: np.ndarray[Any, Any]) -> JsonNode:
        if array.dtype.hasobject:
            raise UnsafeValue("a numpy array of dtype object cannot be sent to the checker")
        wire_dtype = array.dtype.newbyteorder("<") if array.dtype.byteorder == ">" else array.dtype
        if wire_dtype.str not in ARRAY_DTYPES:
            raise UnsafeValue(
                f"numpy arrays of dtype {array.dtype} cannot be sent to the checker; "
                "use a numeric or bool dtype"
            )
        data = np.ascontiguousarray(array, dtype=wire_dtype).tobytes()
        return ["ndarray", wire_dtype.str, list(array.shape), self.buffer(data)]

    def encode_tensor(self, tensor: Any, torch: Any) -> JsonNode:
        name = str(tensor.dtype).removeprefix("torch.")
        if name not in TENSOR_DTYPES:
            raise UnsafeValue(
                f"torch tensors of dtype {tensor.dtype} cannot be sent to the checker"
            )
        plain = tensor.detach().to("cpu").contiguous()
        if name == "bfloat16":
            plain = plain.view(torch.int16)
        data = plain.numpy().tobytes()
        return [
            "tensor",
            name,
            list(tensor.shape),
            self.buffer(data),
            bool(tensor.requires_grad),
            str(tensor.device),
        ]


def encode(value: object, limits: CodecLimits = DEFAULT_LIMITS) -> tuple[JsonNode, list[bytes]]:
    """Flatten `value` into a JSON tree and byte buffers; raise UnsafeValue for anything else."""
    encoder = _Encoder(limits)
    try:
        tree = encoder.encode(value, 0)
    except RecursionError as exc:
        raise UnsafeValue("value is nested too deeply (or contains itself)") from exc
    return tree, encoder.buffers


class _Decoder:
    def __init__(self, buffers: list[bytearray], limits: CodecLimits, top_handle: bool) -> None:
        self.buffers = buffers
        self.limits = limits
        self.top_handle = top_handle
        self.nodes = 0
        self.used: set[int] = set()

    def fail(self, what: str) -> UnsafeValue:
        return UnsafeValue(f"malformed value from the candidate's process: {what}")

    def take_buffer(self, index: object) -> bytearray:
        if type(index) is not int or not 0 <= index < len(self.buffers) or index in self.used:
            raise self.fail(f"bad buffer reference {index!r}")
        self.used.add(index)
        return self.buffers[index]

    def decode(self, node: object, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise UnsafeValue(f"value has more than {self.limits.max_nodes} parts")
        if depth > self.limits.max_depth:
            raise UnsafeValue(f"value is nested more than {self.limits.max_depth} levels deep")
        if type(node) is not list or not node or type(node[0]) is not str:
            raise self.fail("a node is not a tagged list")
        tag, args = node[0], node[1:]
        handler = _DECODERS.get(tag)
        if handler is None:
            raise self.fail(f"unknown tag {tag[:40]!r}")
        return handler(self, args, depth)

    def expect(self, args: list[Any], *types: type) -> None:
        if len(args) != len(types) or any(
            type(a) is not t for a, t in zip(args, types, strict=True)
        ):
            raise self.fail("a node has the wrong fields")

    def d_none(self, args: list[Any], depth: int) -> None:
        self.expect(args)

    def d_bool(self, args: list[Any], depth: int) -> bool:
        self.expect(args, bool)
        return bool(args[0])

    def d_int(self, args: list[Any], depth: int) -> int:
        self.expect(args, str)
        text = args[0]
        digits = text[1:] if text.startswith("-") else text
        if not digits.isascii() or not digits.isdigit() or len(digits) > self.limits.max_int_digits:
            raise self.fail("bad integer")
        return int(text)

    def parse_float(self, text: object) -> float:
        if type(text) is not str or len(text) > 64:
            raise self.fail("bad float")
        try:
            return float.fromhex(text)
        except (ValueError, OverflowError) as exc:
            raise self.fail("bad float") from exc

    def d_float(self, args: list[Any], depth: int) -> float:
        self.expect(args, str)
        return self.parse_float(args[0])

    def d_complex(self, args: list[Any], depth: int) -> complex:
        self.expect(args, str, str)
        return complex(self.parse_float(args[0]), self.parse_float(args[1]))

    def d_str(self, args: list[Any], depth: int) -> str:
        self.expect(args, str)
        if len(args[0]) > self.limits.max_str_chars:
            raise UnsafeValue(f"a string longer than {self.limits.max_str_chars} characters")
        return str(args[0])

    def d_bytes(self, args: list[Any], depth: int) -> bytes:
        self.expect(args, int)
        return bytes(self.take_buffer(args[0]))

    def d_list(self, args: list[Any], depth: int) -> list[Any]:
        self.expect(args, list)
        return [self.decode(item, depth + 1) for item in args[0]]

    def d_tuple(self, args: list[Any], depth: int) -> tuple[Any, ...]:
        return tuple(self.d_list(args, depth))

    def d_dict(self, args: list[Any], depth: int) -> dict[Any, Any]:
        self.expect(args, list)
        result: dict[Any, Any] = {}
        for pair in args[0]:
            if type(pair) is not list or len(pair) != 2:
                raise self.fail("a dict entry is not a pair")
            key_node = pair[0]
            if type(key_node) is not list or not key_node or key_node[0] not in _DICT_KEY_TAGS:
                raise UnsafeValue("dict keys must be strings, numbers, None or tuples of those")
            key = self.decode(key_node, depth + 1)
            try:
                hash(key)
            except TypeError as exc:  # a tuple key holding a list
                raise UnsafeValue("dict keys must be hashable") from exc
            result[key] = self.decode(pair[1], depth + 1)
        return result

    def shape(self, raw: object) -> tuple[int, ...]:
        if type(raw) is not list or len(raw) > self.limits.max_ndim:
            raise self.fail("bad array shape")
        if any(type(n) is not int or not 0 <= n <= MAX_DIMENSION for n in raw):
            raise self.fail("bad array shape")
        return tuple(raw)

    def d_ndarray(self, args: list[Any], depth: int) -> np.ndarray[Any, Any]:
        self.expect(args, str, list, int)
        dtype_str, raw_shape, index = args
        if dtype_str not in ARRAY_DTYPES:
            raise UnsafeValue(f"numpy arrays of dtype {dtype_str[:20]!r} are not accepted")
        shape = self.shape(raw_shape)
        data = self.take_buffer(index)
        dtype = np.dtype(dtype_str)
        if math.prod(shape) * dtype.itemsize != len(data):
            raise self.fail("array data does not match its shape")
        # A bytearray-backed array is writable and owns no candidate object: a plain ndarray.
        try:
            return np.frombuffer(data, dtype=dtype).reshape(shape)
        except (ValueError, TypeError, OverflowError, MemoryError) as exc:
            raise self.fail("array data does not match its shape") from exc

    def d_scalar(self, args: list[Any], depth: int) -> np.generic:
        self.expect(args, str, int)
        if args[0] not in ARRAY_DTYPES:
            raise UnsafeValue(f"numpy scalars of dtype {args[0][:20]!r} are not accepted")
        dtype = np.dtype(args[0])
        data = self.take_buffer(args[1])
        if len(data) != dtype.itemsize:
            raise self.fail("scalar data has the wrong size")
        value: np.generic = np.frombuffer(data, dtype=dtype)[0]
        return value

    def d_tensor(self, args: list[Any], depth: int) -> Any:
        self.expect(args, str, list, int, bool, str)
        name, raw_shape, index, requires_grad, device = args
        if name not in TENSOR_DTYPES:
            raise UnsafeValue(f"torch tensors of dtype {name[:20]!r} are not accepted")
        import torch  # the checker imports torch only when a tensor actually arrives

        shape = self.shape(raw_shape)
        data = self.take_buffer(index)
        wire = np.dtype(TENSOR_DTYPES[name])
        if math.prod(shape) * wire.itemsize != len(data):
            raise self.fail("tensor data does not match its shape")
        dtype = getattr(torch, name)
        try:
            if not data:
                tensor = torch.empty(shape, dtype=dtype)
            else:
                flat = torch.frombuffer(data, dtype=torch.int16 if name == "bfloat16" else dtype)
                tensor = (flat.view(torch.bfloat16) if name == "bfloat16" else flat).reshape(shape)
        except (ValueError, TypeError, RuntimeError, OverflowError, MemoryError) as exc:
            raise self.fail("tensor data does not match its shape") from exc
        if requires_grad and tensor.is_floating_point():
            tensor.requires_grad_(True)
        # Tensors always arrive on the checker's CPU; where the candidate left it is recorded.
        tensor.tj_device = device[:32]  # type: ignore[attr-defined]
        return tensor

    def d_handle(self, args: list[Any], depth: int) -> RemoteHandle:
        # Only the whole answer to a call may be a remote object (an instance the worker keeps);
        # never a part of a value, where it would stand in for data.
        if depth != 0 or not self.top_handle:
            raise self.fail("a remote object where a value was expected")
        self.expect(args, int, str)
        return RemoteHandle(args[0], args[1][:200])


@dataclass(frozen=True)
class RemoteHandle:
    """A reference to an object that stays in the worker (an instance of a candidate class)."""

    handle_id: int
    type_name: str

    def __bool__(self) -> bool:
        raise TypeError("a remote object has no truth value; test what it returns instead")


_DECODERS = {
    "none": _Decoder.d_none,
    "bool": _Decoder.d_bool,
    "int": _Decoder.d_int,
    "float": _Decoder.d_float,
    "complex": _Decoder.d_complex,
    "str": _Decoder.d_str,
    "bytes": _Decoder.d_bytes,
    "list": _Decoder.d_list,
    "tuple": _Decoder.d_tuple,
    "dict": _Decoder.d_dict,
    "ndarray": _Decoder.d_ndarray,
    "scalar": _Decoder.d_scalar,
    "tensor": _Decoder.d_tensor,
    "handle": _Decoder.d_handle,
}


def decode(
    tree: object,
    buffers: list[bytearray],
    limits: CodecLimits = DEFAULT_LIMITS,
    *,
    top_handle: bool = False,
) -> Any:
    """Rebuild a value from `encode`'s output, trusting nothing in it; raise UnsafeValue.

    `top_handle` allows the whole value to be a remote object (the answer to a call); a remote
    object inside a value is always refused.
    """
    decoder = _Decoder(buffers, limits, top_handle)
    try:
        return decoder.decode(tree, 0)
    except RecursionError as exc:
        raise UnsafeValue("value is nested too deeply") from exc
