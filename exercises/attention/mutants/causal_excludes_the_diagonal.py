"""Wrong: the causal mask also hides key i from query i (strictly earlier keys only)."""

import math
import numbers

import torch


def _check_inputs(q, k, v, key_padding_mask):
    for name, t in (("q", q), ("k", k), ("v", v)):
        if not isinstance(t, torch.Tensor) or not t.is_floating_point():
            raise ValueError(f"{name} must be a floating-point tensor")
        if t.ndim not in (3, 4):
            raise ValueError(f"{name} must be 3-D or 4-D, got {t.ndim} dimensions")
    if not q.ndim == k.ndim == v.ndim or not q.shape[:-2] == k.shape[:-2] == v.shape[:-2]:
        raise ValueError("q, k and v must have the same leading (batch, head) dimensions")
    if not q.dtype == k.dtype == v.dtype:
        raise ValueError("q, k and v must have the same dtype")
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"q and k must have the same feature size, got {q.shape[-1]}, {k.shape[-1]}"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ValueError("k and v must have the same number of positions")
    if key_padding_mask is not None:
        if not isinstance(key_padding_mask, torch.Tensor) or key_padding_mask.dtype != torch.bool:
            raise ValueError("key_padding_mask must be a bool tensor")
        if key_padding_mask.shape != (q.shape[0], k.shape[-2]):
            raise ValueError(
                f"key_padding_mask must have shape {(q.shape[0], k.shape[-2])}, "
                f"got {tuple(key_padding_mask.shape)}"
            )


def _allowed(q, k, key_padding_mask, causal):
    """A bool mask, broadcastable to the scores (..., L, S): True where a query may look."""
    length, source = q.shape[-2], k.shape[-2]
    allowed = torch.ones(length, source, dtype=torch.bool)
    if causal:
        allowed = allowed.tril(diagonal=-1)
    if key_padding_mask is not None:
        keep = ~key_padding_mask
        allowed = allowed & keep.reshape(q.shape[0], *[1] * (q.ndim - 2), source)
    return allowed


def scaled_dot_product_attention(q, k, v, *, key_padding_mask=None, causal=False):
    _check_inputs(q, k, v, key_padding_mask)
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.shape[-1])
    allowed = _allowed(q, k, key_padding_mask, causal)
    scores = scores.masked_fill(~allowed, float("-inf"))
    # Subtract each row's maximum (0 for a row with no key left): exp never overflows.
    top = scores.amax(dim=-1, keepdim=True)
    top = torch.where(torch.isfinite(top), top, torch.zeros_like(top))
    exponentials = torch.exp(scores - top)
    total = exponentials.sum(dim=-1, keepdim=True)
    weights = exponentials / torch.where(total > 0, total, torch.ones_like(total))
    return weights @ v, weights


def multi_head_attention(
    query, key, value, params, num_heads, *, key_padding_mask=None, causal=False
):
    if isinstance(num_heads, bool) or not isinstance(num_heads, numbers.Integral) or num_heads < 1:
        raise ValueError(f"num_heads must be a positive integer, got {num_heads!r}")
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, torch.Tensor) or t.ndim != 3:
            raise ValueError(f"{name} must be a 3-D tensor (batch, positions, embed_dim)")
    embed_dim = params["in_proj_weight"].shape[1]
    if embed_dim % num_heads:
        raise ValueError(f"embed_dim {embed_dim} is not divisible by num_heads {num_heads}")
    if query.shape[-1] != embed_dim or key.shape[-1] != embed_dim or value.shape[-1] != embed_dim:
        raise ValueError(f"query, key and value must have {embed_dim} features")
    if key.shape[:2] != value.shape[:2] or query.shape[0] != key.shape[0]:
        raise ValueError("query, key and value must agree on the batch size and key/value length")
    w_q, w_k, w_v = params["in_proj_weight"].chunk(3)
    b_q, b_k, b_v = params["in_proj_bias"].chunk(3)
    head_dim = embed_dim // num_heads

    def heads(x, weight, bias):  # (N, T, E) -> (N, H, T, head_dim)
        projected = x @ weight.T + bias
        return projected.reshape(x.shape[0], x.shape[1], num_heads, head_dim).transpose(1, 2)

    attended, weights = scaled_dot_product_attention(
        heads(query, w_q, b_q),
        heads(key, w_k, b_k),
        heads(value, w_v, b_v),
        key_padding_mask=key_padding_mask,
        causal=causal,
    )
    merged = attended.transpose(1, 2).reshape(query.shape[0], query.shape[1], embed_dim)
    return merged @ params["out_proj.weight"].T + params["out_proj.bias"], weights
