"""Time `grade` from start to verdict, N times, and show where the time goes.

    .venv/bin/python bench/grade_latency.py [slug] [file] [--runs N]

Prints the median (and min/max) of each phase across runs, from the job's own timings: getting
a set of containers (a warm one from the pool when `python -m sandbox pool` runs, else created
and started here, imports included), the go, collection (the test module's imports), the tests
themselves, and teardown. Run on a quiet machine; it is a
measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sandbox  # noqa: E402
from graders.package import find_exercise  # noqa: E402

PHASES = [
    ("take a warm set, or create one", None, "created_s"),
    ("start it, imports (cold only)", "created_s", "ready_s"),
    ("job files in, go", "ready_s", "started_s"),
    ("checker listening", "started_s", "checker_ready_s"),
    ("collect tests (test module imports)", "checker_ready_s", "collected_s"),
    ("run tests", "collected_s", "tests_done_s"),
    ("checker exit", "tests_done_s", "checker_done_s"),
    ("read peak memory + remove containers", "checker_done_s", "total_s"),
]


def phase_s(timings: dict[str, float], start: str | None, end: str) -> float:
    """Seconds between two marks; a mark a job did not pass (a warm set is never started
    here) counts as the one before it."""
    names = [name for _, _, name in PHASES]
    marks = [timings.get(name) for name in names]
    for i, mark in enumerate(marks):
        if mark is None:
            marks[i] = marks[i - 1] if i else 0.0
    at = dict(zip(names, marks, strict=True))
    return float(at[end] or 0.0) - float(at[start] or 0.0 if start else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("exercise", nargs="?", default="kmeans")
    parser.add_argument("file", nargs="?", default=None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--suite", default="hidden")
    args = parser.parse_args()
    exercise = find_exercise(args.exercise, ROOT / "exercises")
    source = Path(args.file).read_bytes() if args.file else exercise.solution_path.read_bytes()
    walls, runs = [], []
    for i in range(args.runs):
        started = time.monotonic()
        report = sandbox.grade(exercise, source, suite=args.suite)
        walls.append(time.monotonic() - started)
        runs.append(report)
        print(
            f"run {i + 1}: {report.verdict.value} score {report.score:.1f} in {walls[-1]:.2f} s",
            file=sys.stderr,
        )
    print(
        f"\n{exercise.slug} ({args.suite} suite), {args.runs} runs, start of grade() to verdict\n"
    )
    print(f"{'phase':<42} {'median s':>9} {'min':>7} {'max':>7}")
    for label, start, end in PHASES:
        values = [phase_s(r.timings, start, end) for r in runs]
        print(
            f"{label:<42} {statistics.median(values):>9.3f} {min(values):>7.3f} {max(values):>7.3f}"
        )
    slowest = {}
    for r in runs:
        for t in r.tests:
            slowest.setdefault(t.name, []).append(t.duration_s)
    top = sorted(slowest.items(), key=lambda kv: -statistics.median(kv[1]))[:3]
    for name, values in top:
        print(f"  of which {name[:36]:<36} {statistics.median(values):>9.3f}")
    print(
        f"{'total (wall clock)':<42} {statistics.median(walls):>9.3f} {min(walls):>7.3f} "
        f"{max(walls):>7.3f}"
    )


if __name__ == "__main__":
    main()
