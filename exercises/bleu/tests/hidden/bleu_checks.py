"""Random corpora and a trusted, deliberately plain BLEU for the hidden tests (checker only)."""

import math
import numbers

import numpy as np

from graders.checks import assert_close


def words(text):
    """A sentence as a list of tokens."""
    return text.split()


def random_corpus(rng, n_sentences, *, n_refs=(1, 4), length=(3, 20), vocabulary=25, noise=0.3):
    """(hypotheses, references): each hypothesis a noisy copy of one of its references, with
    tokens replaced, dropped or repeated so that counts, clipping and lengths all matter."""
    words = [f"w{i}" for i in range(vocabulary)] + ["The", "the", "a", ","]
    hypotheses, references = [], []
    for _ in range(n_sentences):
        refs = [
            [
                words[i]
                for i in rng.integers(len(words), size=rng.integers(length[0], length[1] + 1))
            ]
            for _ in range(int(rng.integers(n_refs[0], n_refs[1] + 1)))
        ]
        source = refs[int(rng.integers(len(refs)))]
        draws = rng.random(len(source))
        replacements = rng.integers(len(words), size=len(source))
        hyp = []
        for token, u, replacement in zip(source, draws, replacements, strict=True):
            if u < noise / 3:
                continue
            hyp.append(words[replacement] if u < 2 * noise / 3 else token)
            if u > 1 - noise / 3:
                hyp.append(token)
        hypotheses.append(hyp)
        references.append(refs)
    return hypotheses, references


def trusted_matches(hypothesis, references, n):
    grams = [tuple(hypothesis[i : i + n]) for i in range(len(hypothesis) - n + 1)]
    clipped = 0
    for gram in set(grams):
        best = 0
        for ref in references:
            ref_grams = [tuple(ref[i : i + n]) for i in range(len(ref) - n + 1)]
            best = max(best, ref_grams.count(gram))
        clipped += min(grams.count(gram), best)
    return clipped, len(grams)


def trusted_bp(c, r):
    if c == 0:
        return 0.0
    return 1.0 if c > r else math.exp(1.0 - r / c)


def trusted_bleu(hypotheses, references, max_n=4, weights=None):
    weights = [1.0 / max_n] * max_n if weights is None else list(weights)
    c = r = 0
    matched, totals = [0] * max_n, [0] * max_n
    for hyp, refs in zip(hypotheses, references, strict=True):
        c += len(hyp)
        lengths = sorted(len(ref) for ref in refs)
        r += min(lengths, key=lambda length: abs(length - len(hyp)))  # sorted: the shorter wins
        for n in range(1, max_n + 1):
            m, t = trusted_matches(hyp, refs, n)
            matched[n - 1] += m
            totals[n - 1] += t
    product = 1.0
    for w, m, t in zip(weights, matched, totals, strict=True):
        if w > 0:
            product *= (m / t if t else 0.0) ** w
    return trusted_bp(c, r) * product


def check_matches(got, expected, *, where):
    assert isinstance(got, tuple) and len(got) == 2, (
        f"{where}: ngram_matches must return a tuple (clipped, total), got {got!r}"
    )
    for value in got:
        assert isinstance(value, numbers.Integral) and not isinstance(value, bool), (
            f"{where}: ngram_matches must return integers, got {got!r}"
        )
    assert tuple(int(v) for v in got) == tuple(expected), (
        f"{where}: expected (clipped, total) = {tuple(expected)}, got {tuple(int(v) for v in got)}"
    )


def check_score(got, expected, *, tolerances, what):
    assert isinstance(got, float), f"{what} must be a float, got {type(got).__name__}"
    assert np.isfinite(got), f"{what} is {got}"
    assert_close(got, expected, rtol=tolerances["rtol"], atol=tolerances["atol"], what=what)
