"""`manage.py check_exercise`: the authoring gate's command line, run as a real subprocess.
The gate itself is tested in tests/sandbox/test_gate.py; CI runs this command on the whole
bank (`make gate`)."""

import shutil
from pathlib import Path

from stack import manage_without_database

ROOT = Path(__file__).resolve().parents[2]
ARITH = ROOT / "tests" / "fixtures" / "exercises" / "arith"


def check_exercise(*args):
    return manage_without_database("check_exercise", *args)


def test_a_refused_exercise_prints_its_row_and_reasons_and_exits_1(tmp_path):
    package = tmp_path / "arith"
    shutil.copytree(ARITH, package)  # a one-line statement with no title, and no mutants
    result = check_exercise(package, "--jobs", "2")
    assert result.returncode == 1, result.stderr
    header, row, *reasons = result.stdout.splitlines()
    assert header.split()[:3] == ["EXERCISE", "TESTS", "MUTANTS"]
    assert row.split()[:3] == ["arith", "3", "0/0"] and row.endswith("REFUSED")
    assert "  arith: statement.md: no title (a '# ...' heading)" in reasons
    assert "  arith: only 0 mutants (at least 4)" in reasons
    assert "refused: arith" in result.stderr
    assert "arith: reference #1: ACCEPTED" in result.stderr  # progress, one line per grading


def test_unknown_exercises_and_no_arguments_are_clear_errors():
    unknown = check_exercise("no-such-exercise")
    assert unknown.returncode == 2 and "no-such-exercise" in unknown.stderr
    nothing = check_exercise()
    assert nothing.returncode == 2 and "name exercises or pass --all" in nothing.stderr
