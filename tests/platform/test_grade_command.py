"""`manage.py grade`: the command-line face of the grading engine, run as a real subprocess."""

import json
from pathlib import Path

import pytest

from stack import manage_without_database

ROOT = Path(__file__).resolve().parents[2]
ARITH = ROOT / "tests" / "fixtures" / "exercises" / "arith"


def grade(*args):
    return manage_without_database("grade", *args)


def test_the_reference_kmeans_is_accepted_with_every_test_passed_in_json():
    result = grade("kmeans", ROOT / "exercises" / "kmeans" / "solution.py", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "ACCEPTED" and report["gradable"]
    assert all(test["outcome"] == "passed" for test in report["tests"])
    # The correctness share (80) is certain; the speed share compares the reference with
    # itself, so on a loaded machine it can fall a hair short of its 20 points (seen: 99.94).
    assert 80 <= report["score"] <= 100
    assert report["speed"]["ratio"] > 0 and len(report["tests"]) >= 10
    assert {"name", "outcome", "points", "duration_s", "visible", "message"} <= set(
        report["tests"][0]
    )


def test_a_table_lists_each_test_and_ends_with_the_verdict(tmp_path):
    result = grade(ARITH, ARITH / "solution.py", "--suite", "public")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("Verdict: ACCEPTED") and "Score: 100.0/100" in lines[-1]
    assert any(line.startswith("test_mul ") and "passed" in line for line in lines)


def test_a_wrong_solution_still_exits_zero_with_its_verdict(tmp_path):
    wrong = tmp_path / "wrong.py"
    wrong.write_text("def add(a, b):\n    return 0\n\ndef mul(a, b):\n    return a * b\n")
    result = grade(ARITH, wrong, "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout)["verdict"] == "WRONG_ANSWER"


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"def add(a, b) return\n", "SyntaxError"), (b"x = '\xff\xfe'\n", "not valid UTF-8")],
)
def test_broken_python_is_a_compile_error_not_a_crash(tmp_path, content, words):
    path = tmp_path / "broken.py"
    path.write_bytes(content)
    result = grade(ARITH, path, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["verdict"] == "COMPILE_ERROR" and words in report["message"]


@pytest.mark.parametrize(
    ("exercise", "make_file", "words"),
    [
        (
            "no-such-exercise",
            lambda d: ARITH / "solution.py",
            "unknown exercise 'no-such-exercise'",
        ),
        (ARITH, lambda d: d / "missing.py", "no such file"),
        (ARITH, lambda d: d, "no such file"),
        (ARITH, lambda d: _big_file(d), "the limit is 262144 bytes (256 KB)"),
    ],
)
def test_unusable_input_exits_2_with_one_line(tmp_path, exercise, make_file, words):
    result = grade(exercise, make_file(tmp_path))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr


def _big_file(folder: Path) -> Path:
    path = folder / "big.py"
    path.write_text("# padding\n" * 30_000)
    return path
