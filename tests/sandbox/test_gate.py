"""The authoring gate (sandbox.gate) in the real sandbox, on a copy of the `arith` fixture with
mutants, and the statement checks on their own."""

import shutil
from pathlib import Path

import pytest

from graders.package import load_exercise
from graders.report import Verdict
from sandbox.gate import REFERENCE_RUNS, check_exercise, statement_problems

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exercises"

MUTANTS = {
    "subtracts": "def add(a, b):\n    return a - b\n\ndef mul(a, b):\n    return a * b\n",
    "adds_in_mul": "def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a + b\n",
    "off_by_one": "def add(a, b):\n    return a + b + 1\n\ndef mul(a, b):\n    return a * b\n",
    "crashes": "def add(a, b):\n    raise ValueError('no')\n\ndef mul(a, b):\n    return a * b\n",
}


def arith_with_mutants(tmp_path: Path, mutants: dict[str, str]) -> Path:
    package = tmp_path / "arith"
    shutil.copytree(FIXTURES / "arith", package)
    (package / "statement.md").write_text("# Add and multiply\n\nImplement `add` and `mul`.\n")
    (package / "mutants").mkdir()
    for name, code in mutants.items():
        (package / "mutants" / f"{name}.py").write_text(code)
    return package


def test_a_sound_exercise_passes_with_every_mutant_caught(tmp_path):
    lines = []
    result = check_exercise(
        load_exercise(arith_with_mutants(tmp_path, MUTANTS)), jobs=2, progress=lines.append
    )
    assert result.problems == []
    assert result.passed
    assert len(result.reference) == REFERENCE_RUNS
    assert all(r.verdict is Verdict.ACCEPTED for r in result.reference)
    assert result.public is not None and result.public.verdict is Verdict.ACCEPTED
    assert result.starter is not None and result.starter.verdict is not Verdict.ACCEPTED
    assert result.mutants_caught == 4 and len(result.mutants) == 4
    assert result.mutants["crashes"].verdict is Verdict.RUNTIME_ERROR
    assert result.reference_time_s > 0
    assert len(lines) == REFERENCE_RUNS + 2 + 4  # one progress line per grading


def test_a_missed_mutant_too_few_mutants_and_a_slow_reference_are_refused(tmp_path):
    correct = (FIXTURES / "arith" / "solution.py").read_text()
    mutants = {"same_as_reference": correct, "subtracts": MUTANTS["subtracts"]}
    package = arith_with_mutants(tmp_path, mutants)
    # A reference that takes 2 s of the 3 s a call may take: a fair candidate could time out.
    slow = "import time\n\ndef add(a, b):\n    time.sleep(2)\n    return a + b\n\n"
    (package / "solution.py").write_text(slow + "def mul(a, b):\n    return a * b\n")
    result = check_exercise(load_exercise(package), jobs=2)
    assert not result.passed
    assert "mutant same_as_reference is ACCEPTED: the hidden suite misses it" in result.problems
    assert "only 2 mutants (at least 4)" in result.problems
    assert any("slowest call takes" in p and "of its time limit" in p for p in result.problems)
    assert result.mutants_caught == 1


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("No heading here.\n", "no title"),
        ("# T\n\n```python\nx = 1\n", "a ``` code block is not closed"),
        ("# T\n\n$$ x^2\n", "unbalanced $$"),
        ("# T\n\nThe cost is $x + y.\n", "unbalanced $ (inline math) in paragraph 2"),
    ],
)
def test_a_statement_that_would_not_render_is_named(text, problem):
    assert any(problem in p for p in statement_problems(text)), statement_problems(text)


def test_dollars_in_code_do_not_count_as_math():
    text = "# T\n\nUse `$HOME` freely; $x$ is math.\n\n```sh\necho $PATH\n```\n"
    assert statement_problems(text) == []
