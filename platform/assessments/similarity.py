"""Similarity of candidates' code: token fingerprints that survive renaming and reformatting.

Evidence for a human, never a verdict. The method is MOSS's (Schleimer, Wilkerson and Aiken,
"Winnowing", SIGMOD 2003):

1. tokenize the source with Python's own tokenizer, drop comments and line breaks inside
   brackets, and normalize what a copier changes freely: every name becomes `V` (except
   keywords, and attribute names after a dot, which are API calls a copier keeps), every
   number `N`, every string `S`;
2. hash every run of K consecutive tokens (a k-gram);
3. keep the smallest hash of every window of W consecutive k-grams (winnowing): any shared run
   of K + W - 1 tokens or more is guaranteed to share a fingerprint, and the number kept stays
   proportional to the length of the code;
4. drop every k-gram of the starter code: what everyone was given is not evidence.

Two sources are compared by the share of fingerprints they have in common, relative to the
smaller of the two (so copying a solution into a longer file still shows). Django-free.
"""

from __future__ import annotations

import hashlib
import io
import keyword
import re
import tokenize
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

K_TOKENS = 12  # a k-gram: long enough that common idioms alone rarely match
WINDOW = 8  # shared runs of K + W - 1 = 19 tokens or more are always seen
DEFAULT_THRESHOLD = 0.5

_SKIPPED = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING, tokenize.ENDMARKER}
_FALLBACK_TOKEN = re.compile(r"[A-Za-z_]\w*|\d[\w.]*|'[^'\n]*'|\"[^\"\n]*\"|\S")


@dataclass(frozen=True)
class Token:
    text: str  # normalized
    line: int  # 1-based line of the source


def tokens(source: str) -> list[Token]:
    """The normalized tokens of `source` (a regex split when it is not valid Python)."""
    out: list[Token] = []
    previous = ""
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            if tok.type in _SKIPPED:
                continue
            text = _normalize(tok.type, tok.string, previous)
            out.append(Token(text, tok.start[0]))
            previous = tok.string
    except (tokenize.TokenError, IndentationError, SyntaxError):
        out = []
        for number, line in enumerate(source.splitlines(), start=1):
            if line.lstrip().startswith("#"):
                continue
            for match in _FALLBACK_TOKEN.finditer(line):
                kind = tokenize.NAME if match.group()[0].isalpha() or match.group()[0] == "_" else 0
                out.append(Token(_normalize(kind, match.group(), ""), number))
    return out


def _normalize(kind: int, text: str, previous: str) -> str:
    if kind == tokenize.NAME:
        if keyword.iskeyword(text) or previous == ".":
            return text
        return "V"
    if kind == tokenize.NUMBER or (kind == 0 and text[0].isdigit()):
        return "N"
    if kind == tokenize.STRING or (kind == 0 and text[0] in "'\""):
        return "S"
    if kind == tokenize.NEWLINE:
        return ";"
    if kind == tokenize.INDENT:
        return "{"
    if kind == tokenize.DEDENT:
        return "}"
    return text


def _hash(gram: list[Token]) -> int:
    digest = hashlib.blake2b(" ".join(t.text for t in gram).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


@dataclass
class Fingerprints:
    """The kept hashes of one source, each with the lines its k-grams span."""

    lines: dict[int, list[tuple[int, int]]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.lines)


def _kgrams(toks: list[Token]) -> list[tuple[int, tuple[int, int]]]:
    return [
        (_hash(toks[i : i + K_TOKENS]), (toks[i].line, toks[i + K_TOKENS - 1].line))
        for i in range(len(toks) - K_TOKENS + 1)
    ]


@lru_cache(maxsize=16)
def _starter_hashes(starter: str) -> frozenset[int]:
    # Every source of an exercise is compared against the same starter: tokenize it once.
    return frozenset(h for h, _ in _kgrams(tokens(starter)))


def fingerprint(source: str, *, starter: str = "") -> Fingerprints:
    """The winnowed fingerprints of `source`, less every k-gram of `starter`."""
    grams = _kgrams(tokens(source))
    given = _starter_hashes(starter) if starter else frozenset()
    result = Fingerprints()
    if not grams:
        return result
    chosen: set[int] = set()  # indices of kept k-grams
    for start in range(max(1, len(grams) - WINDOW + 1)):
        window = grams[start : start + WINDOW]
        # The rightmost minimum, as in the paper: a run of equal hashes keeps one fingerprint.
        low = min(h for h, _ in window)
        chosen.add(start + max(i for i, (h, _) in enumerate(window) if h == low))
    for index in sorted(chosen):
        h, span = grams[index]
        if h not in given:
            result.lines.setdefault(h, []).append(span)
    return result


def similarity(a: Fingerprints, b: Fingerprints) -> float:
    """Shared fingerprints over the fingerprints of the smaller source, in [0, 1]."""
    if not len(a) or not len(b):
        return 0.0
    return len(a.lines.keys() & b.lines.keys()) / min(len(a), len(b))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def matching_lines(
    a: Fingerprints, b: Fingerprints
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The line ranges (first, last; 1-based) of each source that the other shares."""
    shared = a.lines.keys() & b.lines.keys()
    return (
        _merge([span for h in shared for span in a.lines[h]]),
        _merge([span for h in shared for span in b.lines[h]]),
    )


@dataclass(frozen=True)
class SimilarPair:
    first: str
    second: str
    similarity: float
    first_lines: list[tuple[int, int]]
    second_lines: list[tuple[int, int]]


def similar_pairs(
    sources: dict[str, str], *, starter: str = "", threshold: float = DEFAULT_THRESHOLD
) -> list[SimilarPair]:
    """Every pair of `sources` (key -> code) at or above `threshold`, most similar first."""
    prints = {key: fingerprint(code, starter=starter) for key, code in sources.items()}
    pairs = []
    for first, second in combinations(sorted(prints), 2):
        score = similarity(prints[first], prints[second])
        if score >= threshold:
            lines_a, lines_b = matching_lines(prints[first], prints[second])
            pairs.append(SimilarPair(first, second, round(score, 3), lines_a, lines_b))
    return sorted(pairs, key=lambda pair: -pair.similarity)
