import torch


def scaled_dot_product_attention(q, k, v, *, key_padding_mask=None, causal=False):
    """Return (output, weights) of softmax(q k^T / sqrt(E)) v with the statement's masks.

    q: (N, L, E) or (N, H, L, E); k: (N, S, E) or (N, H, S, E); v: (N, S, Ev) or (N, H, S, Ev).
    key_padding_mask: None or a bool tensor (N, S), True = a padding key nobody may attend to.
    causal: query i may only attend to keys j <= i.
    """
    raise NotImplementedError("implement scaled_dot_product_attention")


def multi_head_attention(
    query, key, value, params, num_heads, *, key_padding_mask=None, causal=False
):
    """Return (output (N, L, E), weights (N, num_heads, L, S)) like torch.nn.MultiheadAttention.

    params: {"in_proj_weight": (3E, E), "in_proj_bias": (3E,),
             "out_proj.weight": (E, E), "out_proj.bias": (E,)}.
    """
    raise NotImplementedError("implement multi_head_attention")
