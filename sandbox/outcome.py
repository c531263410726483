"""Turn what the host observed of a job (`JobOutcome`) into the report and its verdict.

Trust rules: test results come only from the checker's events; a job that ran past its wall
clock gets TIME_LIMIT_EXCEEDED for the tests it never finished; anything that points at the
infrastructure or the exercise (the checker died, the suite did not collect, the reference
failed) is SANDBOX_ERROR with `gradable: false`, never counted against the candidate.
"""

from __future__ import annotations

from typing import Any

from graders.package import Exercise
from graders.report import (
    Outcome,
    Report,
    TestResult,
    Verdict,
    assign_points,
    decide_verdict,
    speed_summary,
)
from graders.text import clean_text
from sandbox.job import JobOutcome


def sandbox_error(
    exercise: Exercise, suite: str, message: str, diagnostics: str | None = None, **extra: Any
) -> Report:
    """A SANDBOX_ERROR report. `message` is safe to show anyone; `diagnostics` (which may quote
    hidden tests or the reference) is for operators only."""
    return Report(
        diagnostics=diagnostics,
        verdict=Verdict.SANDBOX_ERROR,
        score=0.0,
        gradable=False,
        suite=suite,
        exercise=exercise.slug,
        message=message,
        **extra,
    )


def report_from_outcome(exercise: Exercise, suite: str, outcome: JobOutcome) -> Report:
    report = _report(exercise, suite, outcome)
    report.job_id = outcome.job_id
    report.seed = outcome.seed
    if report.message is not None:
        report.message = clean_text(report.message)
    if report.diagnostics is not None:
        report.diagnostics = clean_text(report.diagnostics)
    return report


def _report(exercise: Exercise, suite: str, outcome: JobOutcome) -> Report:
    timings = dict(outcome.timings)
    resources = {
        "peak_memory_bytes": outcome.peak_memory_bytes.get("candidate"),
        "reference_peak_memory_bytes": outcome.peak_memory_bytes.get("reference"),
        "memory_limit_bytes": exercise.limits.memory_mb * 1024 * 1024,
        "gpu": None,
    }
    done = outcome.done
    if done is not None:
        timings.update(
            {
                f"checker_{k}": float(v)
                for k, v in done.get("timings", {}).items()
                if isinstance(v, int | float)
            }
        )
    extra = {"resources": resources, "timings": timings}

    if done is None:
        if outcome.wall_time_exceeded and outcome.collected:
            return _timed_out_report(exercise, suite, outcome, extra)
        if outcome.error:
            return sandbox_error(exercise, suite, "the sandbox failed", outcome.error, **extra)
        return sandbox_error(
            exercise,
            suite,
            "the checker stopped before finishing",
            _checker_failure(outcome),
            **extra,
        )
    if done.get("collection_errors"):
        return sandbox_error(
            exercise,
            suite,
            "the exercise's tests failed to load",
            "\n".join(done["collection_errors"]),
            **extra,
        )
    if done.get("sandbox_faults"):
        return sandbox_error(
            exercise,
            suite,
            "grading failed for a reason that is not the "
            "candidate's (the reference or the platform)",
            "\n".join(done["sandbox_faults"]),
            **extra,
        )
    tests = [TestResult.from_dict(t) for t in done.get("tests", [])]
    expected = done.get("expected", [])
    if not tests or sorted(t.nodeid for t in tests) != sorted(expected):
        return sandbox_error(
            exercise,
            suite,
            "the checker did not report every test",
            f"expected {expected}, got {[t.nodeid for t in tests]}",
            **extra,
        )
    failure = done.get("import_failure")
    return _graded(exercise, suite, tests, import_failure=failure, extra=extra)


def _graded(
    exercise: Exercise,
    suite: str,
    tests: list[TestResult],
    *,
    import_failure: dict[str, Any] | None,
    extra: dict[str, Any],
    message: str | None = None,
) -> Report:
    score = assign_points(
        tests, correctness_share=exercise.scoring.correctness, speed_share=exercise.scoring.speed
    )
    # COMPILE_ERROR is for a module that never imported; one that imported, crashed and then
    # failed to import again is a runtime error of its own making.
    never_imported = import_failure is not None and import_failure.get("first", True) is not False
    verdict = decide_verdict(tests, import_failed=never_imported)
    if import_failure is not None:
        message = str(import_failure.get("message", "the module did not import"))
    return Report(
        verdict=verdict,
        score=score,
        gradable=True,
        suite=suite,
        exercise=exercise.slug,
        tests=tests,
        speed=speed_summary(tests),
        message=message,
        **extra,
    )


def _timed_out_report(
    exercise: Exercise, suite: str, outcome: JobOutcome, extra: dict[str, Any]
) -> Report:
    finished = {t["nodeid"]: TestResult.from_dict(t) for t in outcome.finished if "nodeid" in t}
    limit = exercise.limits.wall_time_s
    tests = []
    for entry in outcome.collected:
        nodeid = entry.get("nodeid", "")
        if nodeid in finished:
            tests.append(finished[nodeid])
            continue
        tests.append(
            TestResult(
                nodeid=nodeid,
                name=str(entry.get("name", nodeid)),
                description=str(entry.get("description", "")),
                outcome=Outcome.TIMEOUT,
                weight=float(entry.get("weight", 1.0)),
                visible=suite == "public",
                message=f"not finished within the job's wall-clock limit ({limit:g} s)"
                if suite == "public"
                else None,
                is_speed=bool(entry.get("speed", False)),
            )
        )
    return _graded(
        exercise,
        suite,
        tests,
        import_failure=None,
        extra=extra,
        message=f"the job ran past its wall-clock limit of {limit:g} s",
    )


def _checker_failure(outcome: JobOutcome) -> str:
    tail = outcome.checker_stderr.strip().splitlines()[-40:]
    detail = "\n".join(tail) if tail else "no output"
    if outcome.output_truncated:
        return "the checker wrote more output than allowed"
    return f"the checker exited with status {outcome.checker_exit_code}:\n{detail}"
