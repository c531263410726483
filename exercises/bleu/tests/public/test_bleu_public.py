"""Public tests for bleu: run them with "Run". The hidden suite checks much more."""

import math

import pytest


def words(text):
    """A sentence as a list of tokens."""
    return text.split()


HYP = words("the quick brown fox jumps over the dog")
REFS = [
    words("the quick brown fox jumped over the lazy dog"),
    words("a quick brown fox jumps over the lazy dog"),
]


def test_ngram_matches_of_the_example(solution):
    """(clipped, total) for n = 1..4."""
    got = [tuple(solution.ngram_matches(HYP, REFS, n)) for n in (1, 2, 3, 4)]
    assert got == [(8, 8), (6, 7), (5, 6), (4, 5)], f"got {got}"


def test_counts_are_clipped(solution):
    """'the' occurs once in the reference: only one of the three counts."""
    got = tuple(solution.ngram_matches(words("the the the"), [words("the cat")], 1))
    assert got == (1, 3), f"expected (1, 3), got {got}"


def test_brevity_penalty(solution):
    """exp(1 - r/c) for a short hypothesis, 1 for a long one."""
    assert solution.brevity_penalty(8, 9) == pytest.approx(math.exp(1 - 9 / 8))
    assert solution.brevity_penalty(10, 9) == 1.0


def test_corpus_bleu_of_the_example(solution):
    """BP * (1 * 6/7 * 5/6 * 4/5) ** (1/4)."""
    expected = math.exp(1 - 9 / 8) * (6 / 7 * 5 / 6 * 4 / 5) ** 0.25
    assert solution.corpus_bleu([HYP], [REFS]) == pytest.approx(expected, rel=1e-12)


def test_no_matching_4_gram_scores_zero(solution):
    """No smoothing: a zero precision makes BLEU 0.0."""
    assert solution.corpus_bleu([["a", "b", "c", "d"]], [[["a", "b", "c", "e"]]]) == 0.0
