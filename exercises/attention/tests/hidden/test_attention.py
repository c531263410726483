"""Hidden tests for attention: scaled dot-product attention and multi-head attention against
torch (computed here), masks, stability, the contract, validation, the rule, speed."""

import pytest
import torch
from attention_checks import (
    check_pair,
    forbidden_uses,
    random_params,
    tensors,
    tolerance,
    torch_attention,
    torch_mha,
)

from graders.checks import assert_close, assert_unchanged
from graders.remote import inspect_call


def sdpa_case(solution, tolerances, q, k, v, what, **masks):
    out_shape = (*q.shape[:-1], v.shape[-1])
    weights_shape = (*q.shape[:-1], k.shape[-2])
    got = solution.scaled_dot_product_attention(q, k, v, **masks)
    output, weights = check_pair(got, out_shape, weights_shape, q.dtype, what)
    expected_output, expected_weights = torch_attention(q, k, v, **masks)
    assert_close(
        weights, expected_weights, **tolerance(tolerances, q.dtype), what=f"{what}: weights"
    )
    assert_close(output, expected_output, **tolerance(tolerances, q.dtype), what=f"{what}: output")
    return output, weights


def padding(seed, n, source, at_least=1):
    """A random (n, source) padding mask that leaves at least `at_least` keys per row."""
    generator = torch.Generator().manual_seed(seed)
    lengths = torch.randint(at_least, source + 1, (n,), generator=generator)
    return torch.arange(source)[None, :] >= lengths[:, None]


@pytest.mark.weight(2)
def test_attention_without_masks_matches_torch(solution, tolerances):
    """softmax(q k^T / sqrt(E)) v and its weights: 3-D and 4-D, L != S, Ev != E, float32/64."""
    cases = [
        ((2, 5, 4), (2, 5, 4), (2, 5, 4), torch.float32),
        ((3, 4, 8), (3, 9, 8), (3, 9, 5), torch.float64),
        ((2, 3, 6, 16), (2, 3, 6, 16), (2, 3, 6, 16), torch.float32),
        ((1, 2, 7, 3), (1, 2, 4, 3), (1, 2, 4, 10), torch.float64),
        ((4, 1, 1), (4, 1, 1), (4, 1, 2), torch.float32),
    ]
    for seed, (sq, sk, sv, dtype) in enumerate(cases):
        q, k, v = tensors(seed, sq, sk, sv, dtype=dtype)
        sdpa_case(solution, tolerances, q, k, v, f"q {sq}, k {sk}, v {sv}, {dtype}")


@pytest.mark.weight(2)
def test_padded_keys_get_zero_weight(solution, tolerances):
    """key_padding_mask: True keys get weight exactly 0 and their values do not matter."""
    for seed, (n, heads, length, source) in enumerate([(3, 0, 5, 7), (4, 2, 6, 6), (2, 3, 1, 9)]):
        shape_q = (n, length, 8) if not heads else (n, heads, length, 8)
        shape_k = (n, source, 8) if not heads else (n, heads, source, 8)
        q, k, v = tensors(seed + 10, shape_q, shape_k, shape_k)
        mask = padding(seed, n, source)
        what = f"padding mask, q {shape_q}, k {shape_k}"
        output, weights = sdpa_case(solution, tolerances, q, k, v, what, key_padding_mask=mask)
        padded = mask[:, None, :] if not heads else mask[:, None, None, :]
        assert (weights.masked_select(padded.expand_as(weights)) == 0).all(), (
            f"{what}: a padded key got a nonzero weight"
        )
        other_v = torch.where(padded.transpose(-1, -2).expand_as(v), v + 100.0, v)
        changed, _ = solution.scaled_dot_product_attention(q, k, other_v, key_padding_mask=mask)
        assert_close(
            changed,
            output,
            **tolerance(tolerances, q.dtype),
            what=f"{what}: output after changing padded values",
        )


@pytest.mark.weight(2)
def test_causal_attention_looks_only_at_earlier_or_equal_positions(solution, tolerances):
    """causal=True: query i attends keys j <= i (top-left aligned when L != S), like torch."""
    cases = [((2, 6, 4), (2, 6, 4)), ((2, 2, 5, 8), (2, 2, 5, 8)), ((3, 4, 4), (3, 7, 4))]
    for seed, (shape_q, shape_k) in enumerate(cases):
        q, k, v = tensors(seed + 20, shape_q, shape_k, shape_k, dtype=torch.float64)
        what = f"causal, q {shape_q}, k {shape_k}"
        _, weights = sdpa_case(solution, tolerances, q, k, v, what, causal=True)
        future = ~torch.ones(shape_q[-2], shape_k[-2], dtype=torch.bool).tril()
        assert (weights.masked_select(future.expand_as(weights)) == 0).all(), (
            f"{what}: a query attends to a later key"
        )


@pytest.mark.weight(1)
def test_causal_and_padding_together_and_rows_with_no_key_left(solution, tolerances):
    """Both masks at once; a query left with no key gets zero weights and a zero output."""
    q, k, v = tensors(30, (3, 2, 5, 4), (3, 2, 5, 4), (3, 2, 5, 6))
    mask = torch.tensor(
        [[False] * 5, [False, False, False, True, True], [True, True] + [False] * 3]
    )
    what = "causal with padding (the first two queries of batch 2 see no key)"
    output, weights = sdpa_case(
        solution, tolerances, q, k, v, what, key_padding_mask=mask, causal=True
    )  # fmt: skip
    assert (weights[2, :, :2] == 0).all() and (output[2, :, :2] == 0).all(), (
        f"{what}: a query with no allowed key must get zero weights and a zero output"
    )
    everything = torch.ones(3, 5, dtype=torch.bool)
    sdpa_case(solution, tolerances, q, k, v, "every key padded", key_padding_mask=everything)


@pytest.mark.weight(1)
def test_huge_scores_do_not_overflow(solution, tolerances):
    """Scores far beyond exp's range (about 1e5 in float64): the softmax is stable, no NaN."""
    for seed, (dtype, scale) in enumerate([(torch.float32, 6.0), (torch.float64, 300.0)]):
        q, k, v = tensors(seed + 40, (2, 6, 8), (2, 6, 8), (2, 6, 3), dtype=dtype, scale=scale)
        mask = padding(seed, 2, 6)
        what = f"{dtype}, entries ~N(0, {scale}^2)"
        sdpa_case(solution, tolerances, q, k, v, what, key_padding_mask=mask, causal=True)


@pytest.mark.weight(3)
def test_multi_head_attention_matches_torch_multihead_attention(solution, tolerances):
    """Output and per-head weights of nn.MultiheadAttention (batch_first), self- and
    cross-attention, with and without masks."""
    cases = [
        (2, 5, 5, 8, 2, torch.float32, False, False),
        (3, 4, 7, 12, 3, torch.float64, True, False),
        (2, 6, 6, 16, 4, torch.float32, True, True),
        (1, 3, 3, 6, 1, torch.float64, False, True),
        (2, 4, 6, 8, 8, torch.float32, True, True),
    ]
    for seed, (n, length, source, embed, heads, dtype, padded, causal) in enumerate(cases):
        query, key, value = tensors(
            seed + 50, (n, length, embed), (n, source, embed), (n, source, embed), dtype=dtype
        )
        if length == source and seed % 2 == 0:
            key = value = query  # self-attention
        params = random_params(seed, embed, dtype)
        masks = {"causal": causal}
        if padded:
            masks["key_padding_mask"] = padding(seed, n, source, at_least=source // 2 + 1)
        what = f"n={n}, L={length}, S={source}, E={embed}, heads={heads}, {dtype}, {masks}"
        got = solution.multi_head_attention(query, key, value, params, heads, **masks)
        output, weights = check_pair(
            got, (n, length, embed), (n, heads, length, source), dtype, what
        )  # fmt: skip
        expected_output, expected_weights = torch_mha(query, key, value, params, heads, **masks)
        assert_close(
            weights, expected_weights, **tolerance(tolerances, dtype), what=f"{what}: weights"
        )
        assert_close(
            output, expected_output, **tolerance(tolerances, dtype), what=f"{what}: output"
        )


@pytest.mark.weight(1)
def test_does_not_modify_its_inputs(solution):
    """q, k, v, the mask and the parameters are as they were after the calls."""
    q, k, v = tensors(60, (2, 3, 4, 8), (2, 3, 5, 8), (2, 3, 5, 8))
    mask = padding(0, 2, 5)
    _, args, kwargs = inspect_call(
        solution.scaled_dot_product_attention, q, k, v, key_padding_mask=mask, causal=True
    )
    for name, before, after in zip("qkv", (q, k, v), args, strict=True):
        assert_unchanged(before, after, what=name)
    assert_unchanged(mask, kwargs["key_padding_mask"], what="key_padding_mask")
    x, kv = tensors(61, (2, 4, 8), (2, 5, 8))
    params = random_params(1, 8)
    _, args, kwargs = inspect_call(
        solution.multi_head_attention, x, kv, kv, params, 2, key_padding_mask=mask
    )
    assert_unchanged([x, kv, kv, params], args[:4], what="the arguments of multi_head_attention")


@pytest.mark.weight(1)
def test_rejects_inconsistent_shapes_and_bad_masks_with_value_error(solution):
    """ValueError for mismatched feature sizes or lengths, bad masks, bad num_heads."""
    q, k, v = tensors(70, (2, 4, 8), (2, 5, 8), (2, 5, 3))
    bad = [
        (q, tensors(1, (2, 5, 7))[0], v, {}),  # q and k feature sizes differ
        (q, k, tensors(2, (2, 6, 3))[0], {}),  # k and v lengths differ
        (q, tensors(3, (3, 5, 8))[0], tensors(4, (3, 5, 3))[0], {}),  # batch sizes differ
        (q[0], k[0], v[0], {}),  # 2-D inputs
        (q, k, v, {"key_padding_mask": torch.zeros(2, 4, dtype=torch.bool)}),  # mask length
        (q, k, v, {"key_padding_mask": torch.zeros(2, 5)}),  # float mask
    ]
    for bq, bk, bv, kwargs in bad:
        with pytest.raises(ValueError):
            solution.scaled_dot_product_attention(bq, bk, bv, **kwargs)
    x = tensors(71, (2, 4, 8))[0]
    params = random_params(2, 8)
    for heads in (3, 0, -2):
        with pytest.raises(ValueError):
            solution.multi_head_attention(x, x, x, params, heads)
    with pytest.raises(ValueError):
        solution.multi_head_attention(x[..., :6], x[..., :6], x[..., :6], params, 2)


@pytest.mark.weight(1)
def test_does_not_call_torchs_attention(candidate_source):
    """The source uses no torch attention kernel or module (scaled_dot_product_attention,
    MultiheadAttention, multi_head_attention_forward, Transformer layers)."""
    found = forbidden_uses(candidate_source)
    assert not found, "write attention yourself; torch's attention is not allowed: " + "; ".join(
        found
    )


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_causal_attention_on_8_by_8_heads_of_128_positions(
    solution, reference, speed, tolerances
):
    """Speed against a batched reference: q, k, v of shape (8, 8, 128, 64), causal, padded."""

    def make_case(rng):
        seed = int(rng.integers(2**31))
        q, k, v = tensors(seed, (8, 8, 128, 64), (8, 8, 128, 64), (8, 8, 128, 64))
        return speed.case(q, k, v, key_padding_mask=padding(seed, 8, 128), causal=True)

    def check(case, got, expected):
        assert_close(
            got[0],
            expected[0],
            **tolerance(tolerances, torch.float32),
            what="output on the speed test's inputs",
        )
        assert_close(
            got[1],
            expected[1],
            **tolerance(tolerances, torch.float32),
            what="weights on the speed test's inputs",
        )

    speed.compare(
        solution.scaled_dot_product_attention,
        reference.scaled_dot_product_attention,
        make_case,
        check,
    )
