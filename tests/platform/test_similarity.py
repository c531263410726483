"""Similarity fingerprints (assessments.similarity): a renamed and reformatted copy is flagged,
independent solutions and the shared starter are not."""

from __future__ import annotations

import re
from pathlib import Path

from assessments.similarity import (
    DEFAULT_THRESHOLD,
    fingerprint,
    matching_lines,
    similar_pairs,
    similarity,
)

ROOT = Path(__file__).resolve().parents[2]
KMEANS = ROOT / "exercises" / "kmeans"
REFERENCE = (KMEANS / "solution.py").read_text()
STARTER = (KMEANS / "starter.py").read_text()
RENAMES = {"centroids": "mu", "labels": "assign", "X": "data", "rng": "gen", "nearest": "best"}


def disguised(source: str) -> str:
    """What a copier does: rename variables, re-indent with 2 spaces, add comments and blank
    lines, switch quotes."""
    for old, new in RENAMES.items():
        source = re.sub(rf"\b{old}\b", new, source)
    lines = []
    for line in source.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        lines.append(" " * (indent // 2) + line.lstrip(" ").replace('"', "'"))
        if line.strip().startswith("def "):
            lines.append(" " * (indent // 2 + 2) + "# my own implementation")
            lines.append("")
    return "\n".join(lines) + "\n"


def test_a_renamed_and_reformatted_copy_is_flagged():
    copy = disguised(REFERENCE)
    assert copy != REFERENCE and "mu" in copy
    pairs = similar_pairs({"ada": REFERENCE, "eve": copy, "bob": STARTER}, starter=STARTER)
    assert [(p.first, p.second) for p in pairs] == [("ada", "eve")]
    assert pairs[0].similarity >= 0.95


def test_two_independent_correct_kmeans_are_not_flagged():
    loop_based = (
        ROOT / "tests" / "golden" / "submissions" / "kmeans" / "loop_based.py"
    ).read_text()
    score = similarity(
        fingerprint(REFERENCE, starter=STARTER), fingerprint(loop_based, starter=STARTER)
    )
    assert score < DEFAULT_THRESHOLD / 2


def test_what_everyone_was_given_is_not_evidence():
    assert len(fingerprint(STARTER, starter=STARTER)) == 0
    assert similar_pairs({"a": STARTER, "b": STARTER + "\n# untouched\n"}, starter=STARTER) == []


def test_code_that_is_not_valid_python_is_still_compared():
    broken = "def f(x:\n    return x +\n" + REFERENCE  # a tokenizer error up front
    copy = disguised(broken)
    assert similarity(fingerprint(broken), fingerprint(copy)) >= 0.9


def test_the_matching_lines_point_at_the_copied_function():
    helper = "\n".join(
        [
            "def pairwise_sq(a, b):",
            "    diff = a[:, None, :] - b[None, :, :]",
            "    out = (diff * diff).sum(axis=2)",
            "    out[out < 0] = 0.0",
            "    return out.astype(float, copy=False)",
        ]
    )
    mine = f"import numpy as np\n\n\nX = 1\ny = 2\nz = [X, y]\n\n\n{helper}\n"
    theirs = "import os\nprint(os.getcwd())\n\n" + disguised(helper) + "\n"
    lines_mine, lines_theirs = matching_lines(fingerprint(mine), fingerprint(theirs))
    assert lines_mine and lines_mine[0][0] >= 9  # nothing before the helper
    assert lines_theirs and lines_theirs[0][0] >= 4
