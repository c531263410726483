def ngram_matches(hypothesis, references, n):
    """(clipped, total): the hypothesis' n-grams matched (clipped by the max count in any one
    reference) and its number of n-grams."""
    raise NotImplementedError("implement ngram_matches")


def brevity_penalty(hyp_length, ref_length):
    """1 if hyp_length > ref_length, exp(1 - ref_length / hyp_length) otherwise; 0 for c = 0."""
    raise NotImplementedError("implement brevity_penalty")


def corpus_bleu(hypotheses, references, *, max_n=4, weights=None):
    """Corpus BLEU: pooled clipped precisions for n = 1..max_n, geometric mean, brevity penalty."""
    raise NotImplementedError("implement corpus_bleu")
