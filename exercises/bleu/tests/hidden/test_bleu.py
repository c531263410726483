"""Hidden tests for bleu: clipped matches, brevity penalty, pooled corpus BLEU, edge cases."""

import math

import numpy as np
import pytest
from bleu_checks import (
    check_matches,
    check_score,
    random_corpus,
    trusted_bleu,
    trusted_bp,
    trusted_matches,
    words,
)

from graders.checks import assert_unchanged
from graders.remote import inspect_call


@pytest.mark.weight(2)
def test_ngram_matches_clip_by_the_best_single_reference(solution):
    """Each n-gram counts at most as often as it occurs in the one reference where it is most
    frequent."""
    cases = [
        (words("the the the the"), [words("the cat"), words("the the")], 1, (2, 4)),
        # "a b" occurs once in each reference: clipped to 1, not 1 + 1.
        (words("a b a b"), [words("a b c"), words("c a b")], 2, (1, 3)),
        # Only the second reference holds the matches.
        (words("x y z"), [words("p q"), words("x y z")], 2, (2, 2)),
        (words("A a"), [words("a a")], 1, (1, 2)),  # case-sensitive
    ]
    for hyp, refs, n, expected in cases:
        check_matches(solution.ngram_matches(hyp, refs, n), expected, where=f"{hyp} vs {refs}")
    rng = np.random.default_rng(50)
    hyps, refss = random_corpus(rng, 30)
    for i, (hyp, refs) in enumerate(zip(hyps, refss, strict=True)):
        for n in (1, 2, 3, 4):
            got = solution.ngram_matches(hyp, refs, n)
            check_matches(got, trusted_matches(hyp, refs, n), where=f"sentence {i}, n={n}")


@pytest.mark.weight(1)
def test_ngram_matches_of_short_and_empty_sentences(solution):
    """No n-gram when the sentence is shorter than n; empty hypotheses and references work."""
    cases = [
        (words("a b"), [words("a b")], 3, (0, 0)),
        ([], [words("a b")], 1, (0, 0)),
        (words("a b"), [[]], 1, (0, 2)),
        (words("a b c"), [[], words("b c")], 2, (1, 2)),
    ]
    for hyp, refs, n, expected in cases:
        check_matches(solution.ngram_matches(hyp, refs, n), expected, where=f"{hyp} vs {refs}")


@pytest.mark.weight(1)
def test_brevity_penalty(solution, tolerances):
    """1 when c > r, exp(1 - r/c) when 0 < c <= r, 0 when c = 0."""
    for c, r in [(10, 9), (9, 9), (8, 9), (1, 50), (0, 5), (0, 0), (3, 0), (7.5, 10.0)]:
        check_score(
            solution.brevity_penalty(c, r),
            trusted_bp(c, r),
            tolerances=tolerances,
            what=f"brevity_penalty({c}, {r})",
        )


@pytest.mark.weight(3)
def test_corpus_bleu_matches_the_definition(solution, tolerances):
    """Random corpora with 1-4 references, max_n 1-4, default and custom weights."""
    rng = np.random.default_rng(51)
    for size, max_n, weights in [
        (1, 4, None),
        (5, 4, None),
        (40, 4, None),
        (40, 2, None),
        (25, 1, None),
        (30, 3, (0.5, 0.3, 0.2)),
        (30, 4, (0.1, 0.2, 0.3, 0.4)),
        (30, 4, (2.0, 1.0, 1.0, 1.0)),  # weights need not sum to 1
    ]:
        hyps, refs = random_corpus(rng, size, noise=0.25)
        kwargs = {"max_n": max_n} if weights is None else {"max_n": max_n, "weights": weights}
        check_score(
            solution.corpus_bleu(hyps, refs, **kwargs),
            trusted_bleu(hyps, refs, max_n, weights),
            tolerances=tolerances,
            what=f"corpus_bleu ({size} sentences, max_n={max_n}, weights={weights})",
        )


@pytest.mark.weight(1)
def test_precisions_are_pooled_over_the_corpus(solution, tolerances):
    """p_n sums matches and totals over all sentences; it is not a mean of sentence scores."""
    hyps = [words("a b c d e f g h"), words("x y")]
    refs = [[words("a b c d e f g h")], [words("x z")]]
    expected = trusted_bleu(hyps, refs, 2)  # p1 = 9/10, p2 = 7/8, BP = 1
    check_score(
        solution.corpus_bleu(hyps, refs, max_n=2),
        expected,
        tolerances=tolerances,
        what="corpus_bleu of a long perfect sentence and a short poor one (max_n=2)",
    )


@pytest.mark.weight(1)
def test_reference_length_is_the_closest_with_ties_to_the_shorter(solution, tolerances):
    """r sums, per sentence, the reference length closest to the hypothesis (shorter on a tie)."""
    hyp = words("a b c d e")
    cases = [
        ("tie between 4 and 6: r = 4, BP = 1", [hyp], [[words("a b c d"), words("a b c d e f")]]),
        ("closest is 6, not the shortest 2", [hyp], [[words("a b"), words("a b c d e f")]]),
        (
            "closest is 7 of 7 and 12",
            [hyp],
            [[words("a b c d e f g h i j k l"), words("a b c d e x y")]],
        ),
    ]
    for name, hyps, refs in cases:
        check_score(
            solution.corpus_bleu(hyps, refs, max_n=1),
            trusted_bleu(hyps, refs, 1),
            tolerances=tolerances,
            what=f"corpus_bleu, {name}",
        )


@pytest.mark.weight(1)
def test_a_zero_precision_gives_zero_unless_its_weight_is_zero(solution, tolerances):
    """No smoothing: p_n = 0 with w_n > 0 gives exactly 0.0; with w_n = 0 it is ignored."""
    hyps = [words("a b c x d e"), words("p q")]
    refs = [[words("a b c y d e")], [words("p q")]]  # no 4-gram matches
    got = solution.corpus_bleu(hyps, refs)
    check_score(got, 0.0, tolerances=tolerances, what="corpus_bleu with no 4-gram match")
    assert got == 0.0, f"no smoothing: the score must be exactly 0.0, got {got!r}"
    weights = (0.5, 0.5, 0.0, 0.0)
    check_score(
        solution.corpus_bleu(hyps, refs, weights=weights),
        trusted_bleu(hyps, refs, 4, weights),
        tolerances=tolerances,
        what=f"corpus_bleu with weights {weights}",
    )
    short = [["a", "b"], ["c"]]  # no 3-gram at all: p_3 = 0
    got = solution.corpus_bleu(short, [[["a", "b"]], [["c"]]], max_n=3)
    assert got == 0.0, f"a corpus without 3-grams must score 0.0 with max_n=3, got {got!r}"
    got = solution.corpus_bleu([], [])
    assert got == 0.0, f"an empty corpus must score 0.0, got {got!r}"
    got = solution.corpus_bleu([[]], [[["a"]]])
    assert got == 0.0, f"an empty hypothesis must score 0.0, got {got!r}"
    check_score(
        solution.corpus_bleu([["a", "b", "c"]], [[["a", "b", "c"]]], max_n=3),
        1.0,
        tolerances=tolerances,
        what="a hypothesis equal to its reference",
    )


@pytest.mark.weight(1)
def test_bad_inputs_raise_value_error(solution):
    """ValueError for mismatched lengths, missing references, bad orders and bad weights."""
    hyps = [["a", "b"], ["c"]]
    refs = [[["a", "b"]], [["c"]]]
    with pytest.raises(ValueError):
        solution.corpus_bleu(hyps, refs[:1])
    with pytest.raises(ValueError):
        solution.corpus_bleu(hyps, [[["a", "b"]], []])
    for kwargs in [
        {"max_n": 0},
        {"max_n": 2.5},
        {"max_n": 2, "weights": (1.0,)},
        {"max_n": 2, "weights": (1.0, -0.5)},
        {"max_n": 2, "weights": (0.0, 0.0)},
        {"max_n": 2, "weights": (0.5, math.nan)},
    ]:
        with pytest.raises(ValueError):
            solution.corpus_bleu(hyps, refs, **kwargs)
    for n in (0, -1):
        with pytest.raises(ValueError):
            solution.ngram_matches(["a"], [["a"]], n)
    with pytest.raises(ValueError):
        solution.ngram_matches(["a"], [], 1)
    for c, r in [(-1, 3), (3, -1)]:
        with pytest.raises(ValueError):
            solution.brevity_penalty(c, r)


@pytest.mark.weight(1)
def test_inputs_are_not_modified(solution):
    """corpus_bleu and ngram_matches leave the token lists as they were."""
    hyps, refs = random_corpus(np.random.default_rng(52), 10)
    _, after, _ = inspect_call(solution.corpus_bleu, hyps, refs)
    assert_unchanged([hyps, refs], after, what="the arguments of corpus_bleu")
    _, after, _ = inspect_call(solution.ngram_matches, hyps[0], refs[0], 2)
    assert_unchanged([hyps[0], refs[0], 2], after, what="the arguments of ngram_matches")


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_200_sentences(solution, reference, speed, tolerances):
    """corpus_bleu against a Counter-based reference: 200 sentences of 15-35 tokens, 2 refs."""

    def make_case(rng):
        hyps, refs = random_corpus(rng, 200, n_refs=(2, 2), length=(15, 35), vocabulary=50)
        return speed.case(hyps, refs)

    def check(case, got, expected):
        check_score(got, expected, tolerances=tolerances, what="corpus_bleu on the speed corpus")

    speed.compare(solution.corpus_bleu, reference.corpus_bleu, make_case, check)
