"""Wrong: averages per-sentence BLEU scores instead of pooling the n-gram counts and
lengths over the corpus."""

import math
import numbers
from collections import Counter


def _ngrams(tokens, n):
    return Counter(zip(*(tokens[i:] for i in range(n)), strict=False))


def _check_references(references):
    if len(references) == 0:
        raise ValueError("every hypothesis needs at least one reference")


def _check_order(n):
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"n-gram orders must be integers >= 1, got {n!r}")


def ngram_matches(hypothesis, references, n):
    _check_order(n)
    _check_references(references)
    counts = _ngrams(list(hypothesis), n)
    most = Counter()
    for reference in references:
        most |= _ngrams(list(reference), n)  # |= keeps the maximum count of each n-gram
    clipped = sum(min(count, most[gram]) for gram, count in counts.items())
    return clipped, sum(counts.values())


def brevity_penalty(hyp_length, ref_length):
    for value in (hyp_length, ref_length):
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or value < 0:
            raise ValueError(f"lengths must be non-negative numbers, got {value!r}")
    if hyp_length == 0:
        return 0.0
    if hyp_length > ref_length:
        return 1.0
    return math.exp(1.0 - ref_length / hyp_length)


def _weights(max_n, weights):
    _check_order(max_n)
    if weights is None:
        return [1.0 / max_n] * max_n
    weights = [float(w) for w in weights]
    if len(weights) != max_n:
        raise ValueError(f"weights must have max_n={max_n} entries, got {len(weights)}")
    if any(not math.isfinite(w) or w < 0 for w in weights) or sum(weights) == 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    return weights


def corpus_bleu(hypotheses, references, *, max_n=4, weights=None):
    _weights(max_n, weights)
    if len(hypotheses) != len(references):
        raise ValueError("one reference list per hypothesis")
    if not hypotheses:
        return 0.0
    scores = [
        _pooled_bleu([h], [r], max_n=max_n, weights=weights)
        for h, r in zip(hypotheses, references, strict=True)
    ]
    return sum(scores) / len(scores)


def _pooled_bleu(hypotheses, references, *, max_n=4, weights=None):
    weights = _weights(max_n, weights)
    if len(hypotheses) != len(references):
        raise ValueError(
            f"{len(hypotheses)} hypotheses but {len(references)} reference lists (one each)"
        )
    matched = [0] * max_n
    totals = [0] * max_n
    hyp_length = ref_length = 0
    for hypothesis, refs in zip(hypotheses, references, strict=True):
        _check_references(refs)
        c = len(hypothesis)
        hyp_length += c
        ref_length += min((len(r) for r in refs), key=lambda length: (abs(length - c), length))
        for n in range(1, max_n + 1):
            clipped, total = ngram_matches(hypothesis, refs, n)
            matched[n - 1] += clipped
            totals[n - 1] += total
    log_sum = 0.0
    for w, m, t in zip(weights, matched, totals, strict=True):
        if w == 0:
            continue  # 0 ** 0 == 1: an order without weight does not count
        if m == 0:
            return 0.0
        log_sum += w * math.log(m / t)
    return brevity_penalty(hyp_length, ref_length) * math.exp(log_sum)
