"""Trusted attention (torch's own), inputs and checks for the hidden tests (checker only)."""

import ast
import math

import torch
import torch.nn.functional as F

# What the candidate may not call: torch's attention kernels and modules.
FORBIDDEN = ("scaled_dot_product", "multi_head_attention", "MultiheadAttention", "Transformer")


def forbidden_uses(source):
    """Lines that reach torch's attention: attributes (F.scaled_dot_product_attention), names
    imported from torch, and getattr(obj, "name") with a literal name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Attribute):
            names.append(node.attr)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("torch"):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "getattr":
            names += [a.value for a in node.args[1:2] if isinstance(a, ast.Constant)]
        for name in names:
            if isinstance(name, str) and any(word in name for word in FORBIDDEN):
                found.append(f"line {node.lineno}: {name}")
    return found


def tensors(seed, *shapes, dtype=torch.float32, scale=1.0):
    generator = torch.Generator().manual_seed(seed)
    return [scale * torch.randn(*shape, generator=generator, dtype=dtype) for shape in shapes]


def allowed_mask(n, heads, length, source, key_padding_mask=None, causal=False):
    """(n, 1 or heads, L, S) bool: True where query i may attend to key j."""
    allowed = torch.ones(length, source, dtype=torch.bool)
    if causal:
        allowed = allowed.tril()
    allowed = allowed.expand(n, 1, length, source)
    if key_padding_mask is not None:
        allowed = allowed & ~key_padding_mask[:, None, None, :]
    return allowed


def torch_attention(q, k, v, key_padding_mask=None, causal=False):
    """(output, weights) from torch: F.scaled_dot_product_attention and an explicit softmax, in
    float64; rows without any allowed key are zeros."""
    three_d = q.ndim == 3
    q4, k4, v4 = (t.double()[:, None] if three_d else t.double() for t in (q, k, v))
    n, length, source = q4.shape[0], q4.shape[-2], k4.shape[-2]
    allowed = allowed_mask(n, q4.shape[1], length, source, key_padding_mask, causal)
    scores = (q4 @ k4.transpose(-2, -1)) / math.sqrt(q4.shape[-1])
    weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
    empty = ~allowed.any(dim=-1, keepdim=True)
    weights = weights.masked_fill(empty, 0.0)
    output = F.scaled_dot_product_attention(q4, k4, v4, attn_mask=allowed).masked_fill(empty, 0.0)
    if three_d:
        output, weights = output[:, 0], weights[:, 0]
    return output, weights


def torch_mha(query, key, value, params, num_heads, key_padding_mask=None, causal=False):
    """(output, per-head weights) of torch.nn.MultiheadAttention with these parameters."""
    embed_dim = query.shape[-1]
    module = torch.nn.MultiheadAttention(embed_dim, num_heads, batch_first=True, dtype=query.dtype)
    module.load_state_dict(params)
    attn_mask = None
    if causal:
        attn_mask = ~torch.ones(query.shape[1], key.shape[1], dtype=torch.bool).tril()
    with torch.no_grad():
        output, weights = module(
            query, key, value, key_padding_mask=key_padding_mask, attn_mask=attn_mask,
            need_weights=True, average_attn_weights=False,
        )  # fmt: skip
    return output, weights


def random_params(seed, embed_dim, dtype=torch.float32):
    generator = torch.Generator().manual_seed(seed)
    scale = 1.0 / math.sqrt(embed_dim)

    def normal(*shape):
        return scale * torch.randn(*shape, generator=generator, dtype=dtype)

    return {
        "in_proj_weight": normal(3 * embed_dim, embed_dim),
        "in_proj_bias": normal(3 * embed_dim),
        "out_proj.weight": normal(embed_dim, embed_dim),
        "out_proj.bias": normal(embed_dim),
    }


def check_pair(result, out_shape, weights_shape, dtype, what):
    """Assert (output, weights) tensors of the given shapes and dtype, finite; return them."""
    assert isinstance(result, tuple) and len(result) == 2, (
        f"{what}: must return a tuple (output, weights), got {type(result).__name__}"
    )
    for name, value, shape in (
        ("output", result[0], out_shape),
        ("weights", result[1], weights_shape),
    ):
        assert isinstance(value, torch.Tensor), (
            f"{what}: {name} must be a torch.Tensor, got {type(value).__name__}"
        )
        assert tuple(value.shape) == tuple(shape), (
            f"{what}: {name} must have shape {tuple(shape)}, got {tuple(value.shape)}"
        )
        assert value.dtype == dtype, f"{what}: {name} must be {dtype}, got {value.dtype}"
        assert torch.isfinite(value).all(), f"{what}: {name} contains NaN or inf"
    return result


def tolerance(tolerances, dtype):
    """rtol and atol for results of this dtype (float32: rounding of sums of products)."""
    suffix = "_64" if dtype == torch.float64 else "_32"
    return {"rtol": tolerances["rtol" + suffix], "atol": tolerances["atol" + suffix]}
