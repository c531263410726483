"""Public tests for attention: run them with "Run". The hidden suite checks much more."""

import math

import pytest
import torch


def test_the_example_of_the_statement(solution):
    """Two keys, one query: weights softmax([1, 0]), output their mix of the values."""
    q = torch.tensor([[[1.0, 1.0]]])
    k = torch.tensor([[[1.0, 1.0], [0.0, 0.0]]]) * math.sqrt(2) / 2
    v = torch.tensor([[[10.0], [20.0]]])
    output, weights = solution.scaled_dot_product_attention(q, k, v)
    assert weights.shape == (1, 1, 2), f"weights: expected shape (1, 1, 2), got {weights.shape}"
    assert output.shape == (1, 1, 1), f"output: expected shape (1, 1, 1), got {output.shape}"
    expected = torch.softmax(torch.tensor([1.0, 0.0]), 0)
    torch.testing.assert_close(weights[0, 0], expected)
    torch.testing.assert_close(output[0, 0, 0], 10 * expected[0] + 20 * expected[1])


def test_matches_softmax_of_scaled_scores(solution):
    """No mask: weights = softmax(q k^T / sqrt(E)) over the keys; output = weights @ v."""
    generator = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 3, 4, 8, generator=generator) for _ in range(3))
    output, weights = solution.scaled_dot_product_attention(q, k, v)
    expected = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(8), dim=-1)
    torch.testing.assert_close(weights, expected)
    torch.testing.assert_close(output, expected @ v)


def test_causal_weights_are_lower_triangular(solution):
    """causal=True: no query attends to a later key."""
    generator = torch.Generator().manual_seed(1)
    q, k, v = (torch.randn(1, 5, 4, generator=generator) for _ in range(3))
    _, weights = solution.scaled_dot_product_attention(q, k, v, causal=True)
    assert torch.equal(weights[0].triu(diagonal=1), torch.zeros(5, 5)), f"got {weights[0]}"
    torch.testing.assert_close(weights.sum(-1), torch.ones(1, 5))


def test_multi_head_attention_matches_torch(solution):
    """Same output and per-head weights as nn.MultiheadAttention(8, 2, batch_first=True)."""
    torch.manual_seed(0)
    module = torch.nn.MultiheadAttention(8, 2, batch_first=True)
    params = {name: p.detach() for name, p in module.state_dict().items()}
    x = torch.randn(3, 5, 8)
    with torch.no_grad():
        expected, expected_weights = module(x, x, x, average_attn_weights=False)
    output, weights = solution.multi_head_attention(x, x, x, params, 2)
    torch.testing.assert_close(output, expected, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(weights, expected_weights, rtol=1e-4, atol=1e-5)


def test_rejects_mismatched_feature_sizes(solution):
    """q and k must have the same last dimension."""
    with pytest.raises(ValueError):
        solution.scaled_dot_product_attention(
            torch.zeros(1, 2, 4), torch.zeros(1, 3, 5), torch.zeros(1, 3, 5)
        )
