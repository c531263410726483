"""The authoring gate: an exercise enters the bank only if the real sandbox proves it sound.

    refuse unless  the reference is ACCEPTED 3 times with identical per-test results
                   the public tests pass on the reference
                   the starter is not ACCEPTED
                   every mutant is not ACCEPTED
                   the reference uses under half of each limit (wall time, the slowest call,
                   the job's call time, memory)
                   the statement renders (Markdown, closed code fences, balanced math)

Used by `manage.py check_exercise` and CI. Django-free: it grades files through `sandbox.grade`.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt

import sandbox
from graders.package import Exercise
from graders.report import Report, Verdict
from sandbox.config import SandboxConfig

REFERENCE_RUNS = 3


@dataclass
class GateResult:
    exercise: Exercise
    problems: list[str] = field(default_factory=list)
    reference: list[Report] = field(default_factory=list)
    public: Report | None = None
    starter: Report | None = None
    mutants: dict[str, Report] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def mutants_caught(self) -> int:
        return sum(r.verdict is not Verdict.ACCEPTED for r in self.mutants.values())

    @property
    def reference_time_s(self) -> float:
        return (
            statistics.median(r.timings.get("total_s", 0.0) for r in self.reference)
            if self.reference
            else 0.0
        )


def statement_problems(text: str) -> list[str]:
    """Why a statement would not render as its author meant (empty when it is fine)."""
    problems = []
    html = MarkdownIt("commonmark").render(text)
    if "<h1>" not in html:
        problems.append("statement.md: no title (a '# ...' heading)")
    fences = [line for line in text.splitlines() if line.lstrip().startswith("```")]
    if len(fences) % 2:
        problems.append("statement.md: a ``` code block is not closed")
    prose = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    prose = re.sub(r"`[^`\n]*`", "", prose)
    if prose.count("$$") % 2:
        problems.append("statement.md: unbalanced $$ (display math)")
    inline = prose.replace("$$", "")
    for number, paragraph in enumerate(inline.split("\n\n"), start=1):
        if paragraph.count("$") % 2:
            problems.append(f"statement.md: unbalanced $ (inline math) in paragraph {number}")
    return problems


def _results(report: Report) -> list[tuple[str, str, float]]:
    """What must not change between two gradings of the same file (speed aside)."""
    return [
        (t.nodeid, t.outcome.value, round(t.points, 6)) for t in report.tests if not t.is_speed
    ] + [(t.nodeid, t.outcome.value, 0.0) for t in report.tests if t.is_speed]


def check_exercise(
    exercise: Exercise,
    *,
    config: SandboxConfig | None = None,
    jobs: int = 1,
    progress: Callable[[str], None] | None = None,
) -> GateResult:
    """Run the gate on one exercise; the result lists every reason to refuse it."""
    return check_exercises([exercise], config=config, jobs=jobs, progress=progress)[0]


def check_exercises(
    exercises: list[Exercise],
    *,
    config: SandboxConfig | None = None,
    jobs: int = 1,
    progress: Callable[[str], None] | None = None,
) -> list[GateResult]:
    """Run the gate on several exercises, `jobs` gradings at a time across all of them (one
    pool, so no worker idles while an exercise's last grading finishes)."""
    gradings: list[tuple[Exercise, str, Path, str]] = []
    for exercise in exercises:
        gradings += [
            *(
                (exercise, f"reference #{i + 1}", exercise.solution_path, "hidden")
                for i in range(REFERENCE_RUNS)
            ),
            (exercise, "reference, public suite", exercise.solution_path, "public"),
            (exercise, "starter", exercise.starter_path, "hidden"),
            *((exercise, f"mutant {p.stem}", p, "hidden") for p in exercise.mutant_paths()),
        ]

    def grade(item: tuple[Exercise, str, Path, str]) -> tuple[str, str, Report]:
        exercise, label, path, suite = item
        report = sandbox.grade(exercise, path.read_bytes(), suite=suite, config=config)
        if progress is not None:
            progress(f"{exercise.slug}: {label}: {report.verdict.value} ({report.score:.1f})")
        return str(exercise.path), label, report

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        graded: dict[str, dict[str, Report]] = {}
        for key, label, report in pool.map(grade, gradings):
            graded.setdefault(key, {})[label] = report

    results = []
    for exercise in exercises:
        reports = graded[str(exercise.path)]
        result = GateResult(exercise)
        result.problems += statement_problems(exercise.statement_path.read_text(encoding="utf-8"))
        result.reference = [reports[f"reference #{i + 1}"] for i in range(REFERENCE_RUNS)]
        result.public = reports["reference, public suite"]
        result.starter = reports["starter"]
        result.mutants = {
            label.removeprefix("mutant "): report
            for label, report in reports.items()
            if label.startswith("mutant ")
        }
        _judge(result)
        results.append(result)
    return results


def _judge(result: GateResult) -> None:
    limits = result.exercise.limits
    problems = result.problems
    for i, report in enumerate(result.reference, start=1):
        if report.verdict is not Verdict.ACCEPTED:
            failing = [t.name for t in report.tests if t.outcome.value != "passed"]
            problems.append(
                f"reference run {i}: {report.verdict.value} "
                f"({report.message or ', '.join(failing)})"
            )
    if len({tuple(_results(r)) for r in result.reference}) > 1:
        problems.append("the reference's results differ between runs: a flaky test")
    if result.public is not None and result.public.verdict is not Verdict.ACCEPTED:
        problems.append(f"public tests on the reference: {result.public.verdict.value}")
    if result.starter is not None and result.starter.verdict is Verdict.ACCEPTED:
        problems.append("the starter is ACCEPTED")
    if len(result.mutants) < 4:
        problems.append(f"only {len(result.mutants)} mutants (at least 4)")
    for name, report in sorted(result.mutants.items()):
        if report.verdict is Verdict.ACCEPTED:
            problems.append(f"mutant {name} is ACCEPTED: the hidden suite misses it")
        elif not report.gradable:
            problems.append(f"mutant {name}: {report.verdict.value} ({report.message})")
    for report in result.reference:
        timings, resources = report.timings, report.resources
        usage = {
            "wall time": (timings.get("total_s", 0.0), limits.wall_time_s),
            "call time": (timings.get("checker_candidate_call_s", 0.0), limits.total_call_time_s),
            "memory (MB)": ((resources.get("peak_memory_bytes") or 0) / 2**20, limits.memory_mb),
        }
        for what, (used, limit) in usage.items():
            if used > limit / 2:
                problems.append(f"the reference uses {used:.1f} of {limit:g} {what}: over half")
        slowest = timings.get("checker_candidate_max_call_fraction", 0.0)
        if slowest > 0.5:
            problems.append(f"the reference's slowest call takes {slowest:.0%} of its time limit")
    # One line per kind of problem: three reference runs tend to repeat each other.
    result.problems = list(dict.fromkeys(problems))
