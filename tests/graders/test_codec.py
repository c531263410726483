"""graders.codec: values the candidate sends are rebuilt from plain types only."""

import math

import numpy as np
import pytest
import torch

from graders.codec import CodecLimits, RemoteHandle, decode, encode
from graders.errors import UnsafeValue


def roundtrip(value):
    tree, buffers = encode(value)
    return decode(tree, [bytearray(b) for b in buffers])


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -7,
        10**40,
        1.5,
        -0.0,
        1e308,
        "héllo",
        b"\x00\xff",
        2 + 3j,
        [1, [2, (3, "x")]],
        (),
        {"a": 1, 2: [3.0], (1, "b"): None, None: True},
    ],
)
def test_plain_values_round_trip_unchanged(value):
    result = roundtrip(value)
    assert result == value
    assert type(result) is type(value)


def test_container_subclasses_arrive_as_their_plain_base_type():
    from collections import OrderedDict, namedtuple

    Result = namedtuple("Result", "centroids labels")

    class LyingTuple(tuple):
        def __eq__(self, other):
            return True

        def __iter__(self):
            return iter([0, 0, 0])

    assert roundtrip(Result(1, 2)) == (1, 2) and type(roundtrip(Result(1, 2))) is tuple
    assert type(roundtrip(OrderedDict(a=1))) is dict
    lying = roundtrip(LyingTuple((5, 6)))
    assert type(lying) is tuple and lying == (5, 6)  # the real items, not what __iter__ claims


def test_special_floats_round_trip():
    result = roundtrip([math.nan, math.inf, -math.inf])
    assert math.isnan(result[0]) and result[1] == math.inf and result[2] == -math.inf


@pytest.mark.parametrize(
    "dtype",
    [
        "bool",
        "int8",
        "uint8",
        "int16",
        "uint16",
        "int32",
        "uint32",
        "int64",
        "uint64",
        "float16",
        "float32",
        "float64",
        "complex64",
        "complex128",
    ],
)
def test_arrays_of_every_numeric_dtype_round_trip_as_plain_ndarrays(dtype):
    array = (np.arange(24) % 5).astype(dtype).reshape(2, 3, 4)
    result = roundtrip(array)
    assert type(result) is np.ndarray
    assert result.dtype == array.dtype and result.shape == array.shape
    np.testing.assert_array_equal(result, array)
    result[0, 0, 0] = 1  # writable, owned by the checker


def test_big_endian_non_contiguous_and_empty_arrays_round_trip():
    big = np.arange(6, dtype=">f8").reshape(2, 3)
    np.testing.assert_array_equal(roundtrip(big), big)
    strided = np.arange(20.0).reshape(4, 5)[::2, ::3]
    np.testing.assert_array_equal(roundtrip(strided), strided)
    empty = roundtrip(np.zeros((0, 3)))
    assert empty.shape == (0, 3)


def test_numpy_scalars_keep_their_type():
    for value in (np.float64(1.25), np.int32(-3), np.bool_(True), np.float32(0.5)):
        result = roundtrip(value)
        assert type(result) is type(value) and result == value


def test_tensors_round_trip_with_dtype_shape_and_grad_flag():
    for dtype in (
        torch.float32,
        torch.float64,
        torch.int64,
        torch.bool,
        torch.bfloat16,
        torch.float16,
    ):
        tensor = torch.arange(6).reshape(2, 3).to(dtype)
        result = roundtrip(tensor)
        assert type(result) is torch.Tensor
        assert result.dtype == dtype and result.shape == tensor.shape
        assert torch.equal(result, tensor)
    grad = roundtrip(torch.ones(3, requires_grad=True))
    assert grad.requires_grad and grad.tj_device == "cpu"
    assert roundtrip(torch.nn.Parameter(torch.zeros(2))).shape == (2,)
    assert roundtrip(torch.zeros(0, 4)).shape == (0, 4)


class LyingArray(np.ndarray):
    def __eq__(self, other):
        return True


class AlwaysEqual:
    def __eq__(self, other):
        return True


class LyingInt(int):
    def __eq__(self, other):
        return True


class LyingTensor(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return True


def _generator():
    yield 1


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (np.zeros(3).view(LyingArray), "LyingArray"),
        (np.array([1, "a"], dtype=object), "dtype object"),
        (np.array(["a", "b"]), "dtype <U1"),
        (np.zeros(2, dtype=[("a", "f8")]), "cannot be sent"),
        (AlwaysEqual(), "AlwaysEqual"),
        (LyingInt(3), "LyingInt"),
        (_generator(), "generator"),
        ({1, 2}, "set"),
        (torch.zeros(2).as_subclass(LyingTensor), "LyingTensor"),
        ([np.zeros(1), AlwaysEqual()], "AlwaysEqual"),
    ],
)
def test_lying_and_unknown_values_are_refused_with_their_type_named(value, words):
    with pytest.raises(UnsafeValue, match=words):
        encode(value)


def test_a_list_containing_itself_is_refused():
    loop = []
    loop.append(loop)
    with pytest.raises(UnsafeValue, match="nested"):
        encode(loop)


@pytest.mark.parametrize(
    ("tree", "buffers", "words"),
    [
        (["pickle", "x"], [], "unknown tag"),
        ("str", [], "not a tagged list"),
        (["int", 5], [], "wrong fields"),
        (["int", "12a"], [], "bad integer"),
        (["int", "9" * 5000], [], "bad integer"),
        (["float", "nope"], [], "bad float"),
        (["ndarray", "|O", [1], 0], [b"x" * 8], "not accepted"),
        (["ndarray", "<f8", [3], 0], [b"x" * 8], "does not match"),
        (["ndarray", "<f8", [-1], 0], [b""], "bad array shape"),
        (["list", [["bytes", 0], ["bytes", 0]]], [b"a"], "bad buffer"),
        (["bytes", 3], [b"a"], "bad buffer"),
        (["dict", [[["list", []], ["none"]]]], [], "dict keys"),
        (["dict", [[["tuple", [["list", []]]], ["none"]]]], [], "hashable"),
        (["tensor", "float32", [2], 0, False, "cpu"], [b"x" * 4], "does not match"),
        (["tensor", "object", [1], 0, False, "cpu"], [b"x"], "not accepted"),
    ],
)
def test_malformed_trees_are_refused(tree, buffers, words):
    with pytest.raises(UnsafeValue, match=words):
        decode(tree, [bytearray(b) for b in buffers])


def test_depth_and_size_limits_are_enforced():
    deep = ["none"]
    for _ in range(100):
        deep = ["list", [deep]]
    with pytest.raises(UnsafeValue, match="nested"):
        decode(deep, [])
    wide = ["list", [["none"]] * 50]
    with pytest.raises(UnsafeValue, match="parts"):
        decode(wide, [], CodecLimits(max_nodes=10))


def test_a_handle_is_accepted_only_as_the_whole_answer_to_a_call():
    handle = decode(["handle", 3, "Net"], [], top_handle=True)
    assert handle == RemoteHandle(3, "Net")
    with pytest.raises(TypeError):
        bool(handle)  # never truthy: `assert solution.is_sorted(...)` cannot pass with one
    with pytest.raises(UnsafeValue, match="remote object"):
        decode(["handle", 3, "Net"], [])
    with pytest.raises(UnsafeValue, match="remote object"):
        decode(["tuple", [["handle", 3, "Net"]]], [], top_handle=True)


def test_numpy_scalars_of_every_platform_type_and_as_dict_keys_round_trip():
    value = roundtrip(np.longlong(7))
    assert value == 7 and isinstance(value, np.integer)
    assert roundtrip({np.int64(1): "a", np.float32(2.5): "b"}) == {1: "a", 2.5: "b"}
    with pytest.raises(UnsafeValue, match=r"longdouble|float128"):
        encode(np.longdouble(1.0))


@pytest.mark.parametrize("shape", [[0, 2**62, 2**62], [2**41], [1, -1]])
def test_absurd_shapes_are_refused_as_unsafe_not_as_python_errors(shape):
    with pytest.raises(UnsafeValue):
        decode(["ndarray", "<f8", shape, 0], [bytearray()])
