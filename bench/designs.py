"""The four ways of running a hidden suite that bench/fast_verdicts.py compares, N runs each.

    floor   the suite in this (already warm) process, candidate and reference imported here
    naive   a fresh hardened container per run: imports + pytest, candidate in-process
    cold    sandbox.grade() with no warm pool (pool_size 0)
    warm    sandbox.grade() with a sandbox.pool.Keeper keeping ready sets

Every run's verdict is checked (all tests passed, or ACCEPTED): a design that fails the
reference is not measured, it is reported as failing. Each run's speed-test rounds are read
back from its results, so a table can show that the designs ran the same tests
(`fixed_rounds` makes the count the same in all of them).
"""

from __future__ import annotations

import dataclasses
import importlib
import math
import os
import secrets
import statistics
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docker
from inprocess import run_suite
from naive import run_naive

import sandbox
from graders.jobspec import JobSpec
from graders.package import Exercise
from graders.report import Outcome, Report, TestResult, Verdict
from sandbox.config import SandboxConfig

try:  # the warm pool; without it the warm row says n/a
    from sandbox.pool import Keeper
except ImportError:  # pragma: no cover - depends on the tree
    Keeper = None

Progress = Callable[[str], None]
HEAVY_MODULES = ("numpy", "scipy", "sklearn", "torch", "pytest")
QUIET_WAIT_S = 60.0
FLOOR = "bare tests (floor)"
NAIVE = "naive (container + pytest in-process)"
COLD = "TensorJudge cold (no pool)"
WARM = "TensorJudge warm (pool)"


@dataclass
class Row:
    """One design's runs on one exercise."""

    exercise: str
    design: str
    seconds: list[float] = field(default_factory=list)
    speed_seconds: list[float] = field(default_factory=list)  # of which in speed tests
    rounds: list[list[int]] = field(default_factory=list)  # each run's speed tests' rounds
    good: int = 0  # runs with the right verdict
    notes: list[str] = field(default_factory=list)
    unavailable: str = ""  # why the design was not measured

    @property
    def runs(self) -> int:
        return len(self.seconds)

    @property
    def without_speed(self) -> list[float]:
        """Each run's time less its speed tests' (whose rounds adapt to the noise they see)."""
        return [t - s for t, s in zip(self.seconds, self.speed_seconds, strict=True)]

    @property
    def valid(self) -> bool:
        return not self.unavailable and self.runs > 0 and self.good == self.runs

    def rounds_ran(self, expected: int) -> str:
        """The speed rounds the runs reported: "10" when every speed test of every run took
        `expected`, else what they took."""
        seen = sorted({n for run in self.rounds for n in run})
        if seen == [expected] and all(self.rounds):
            return str(expected)
        missing = sum(not run for run in self.rounds)
        shown = ", ".join(map(str, seen)) or "none"
        without = f"; {missing}/{len(self.rounds)} runs reported none" if missing else ""
        return f"{shown} (expected {expected}{without})"


def fixed_rounds(exercise: Exercise, rounds: int) -> Exercise:
    """`exercise` with a speed policy that takes exactly `rounds` timed rounds whatever the
    noise: no precision target, no time budget (the adaptive rounds of graders.speed would run
    a different number of rounds in each design, so the designs would not run the same tests).
    Every design takes the Exercise it is given into its JobSpec (JobSpec.for_exercise)."""
    speed = dataclasses.replace(
        exercise.speed, min_rounds=rounds, max_rounds=rounds, target_rse=0.0, budget_s=1e9
    )
    return dataclasses.replace(exercise, speed=speed)


def speed_rounds(tests: Iterable[TestResult]) -> list[int]:
    """The rounds each measured speed test took (its result's `speed["rounds"]`)."""
    return [int(t.speed["rounds"]) for t in tests if t.is_speed and t.speed is not None]


def import_heavy_modules() -> None:
    """What the floor's process has loaded before it is timed (it is 'already warm')."""
    for name in HEAVY_MODULES:
        importlib.import_module(name)


def accepted(report: Report) -> bool:
    return report.verdict is Verdict.ACCEPTED and all(
        t.outcome is Outcome.PASSED for t in report.tests
    )


def describe(report: Report) -> str:
    failing = [f"{t.name}: {t.outcome.value}" for t in report.tests if t.outcome != Outcome.PASSED]
    return f"{report.verdict.value} {report.message or ''} {'; '.join(failing)[:300]}".strip()


def cpuset_cores(cpuset: str) -> set[int]:
    """'1' or '0-3,6' as a set of core numbers."""
    cores: set[int] = set()
    for part in cpuset.split(","):
        low, _, high = part.partition("-")
        cores.update(range(int(low), int(high or low) + 1))
    return cores


@contextmanager
def worker_resources(cpuset: str, threads: int) -> Iterator[None]:
    """This process on the sandbox workers' cores, its BLAS/OpenMP/torch pools at the thread
    count a worker gets (sandbox.containers sizes them to the exercise's CPU quota)."""
    import torch
    from threadpoolctl import threadpool_limits

    affinity, torch_threads = os.sched_getaffinity(0), torch.get_num_threads()
    os.sched_setaffinity(0, cpuset_cores(cpuset))
    torch.set_num_threads(threads)
    try:
        with threadpool_limits(limits=threads):
            yield
    finally:
        torch.set_num_threads(torch_threads)
        os.sched_setaffinity(0, affinity)


def measure_floor(
    exercise: Exercise, candidate: Path, runs: int, cpuset: str, progress: Progress
) -> Row:
    row = Row(exercise.slug, FLOOR)
    import_heavy_modules()
    with worker_resources(cpuset, max(1, int(exercise.limits.cpus))):
        _floor_runs(row, exercise, candidate, runs, progress)
    return row


def _floor_runs(
    row: Row, exercise: Exercise, candidate: Path, runs: int, progress: Progress
) -> None:
    for i in range(runs + 1):  # run 0: the untimed warm-up
        run = run_suite(
            tests_dir=exercise.path / "tests",
            suite="hidden",
            spec=JobSpec.for_exercise(exercise, "hidden", seed=secrets.randbits(63)),
            candidate=candidate,
            reference=exercise.solution_path,
            support_dir=exercise.support_path,
        )
        progress(
            f"{exercise.slug} floor run {i}: {run.seconds:.2f} s, {run.summary()['passed']}"
            f"/{len(run.expected)} passed, rounds {speed_rounds(run.results)}"
            f"{'' if i else ' (warm-up)'}"
        )
        if not run.all_passed:
            row.notes.append(f"run {i} failed: {run.summary()['failed'][:3]}")
            progress(run.output[-3000:])
        if i:
            row.seconds.append(run.seconds)
            row.speed_seconds.append(run.speed_seconds)
            row.rounds.append(speed_rounds(run.results))
            row.good += run.all_passed


def measure_naive(
    client: docker.DockerClient,
    config: SandboxConfig,
    image: str,
    exercise: Exercise,
    candidate: Path,
    runs: int,
    progress: Progress,
) -> Row:
    row = Row(exercise.slug, NAIVE)
    removals = []
    for i in range(runs + 1):
        run = run_naive(client, config, image, exercise, candidate, seed=secrets.randbits(63))
        progress(
            f"{exercise.slug} naive run {i}: {run.seconds:.2f} s, all passed "
            f"{run.all_passed}, rounds {run.summary.get('speed_rounds')}"
            f"{'' if i else ' (warm-up)'}"
        )
        if not run.all_passed:
            row.notes.append(f"run {i} failed: {str(run.summary)[:300]}")
        if i:
            row.seconds.append(run.seconds)
            row.speed_seconds.append(float(run.summary.get("speed_s", math.nan)))
            row.rounds.append([int(n) for n in run.summary.get("speed_rounds", [])])
            removals.append(run.remove_s)
            row.good += run.all_passed
    if removals:
        row.notes.append(
            f"timed to the container's exit; removing it took {max(removals):.2f} s max"
        )
    return row


def _grade_rows(
    row: Row,
    exercise: Exercise,
    source: bytes,
    runs: int,
    config: SandboxConfig,
    client: docker.DockerClient,
    progress: Progress,
    before_each: Callable[[], str] | None = None,
) -> list[Report]:
    reports = []
    for i in range(runs + 1):
        waited = before_each() if before_each is not None else ""
        started = time.perf_counter()
        report = sandbox.grade(exercise, source, config=config, client=client)
        seconds = time.perf_counter() - started
        ok = accepted(report)
        warm = report.timings.get("warm_set")
        progress(
            f"{exercise.slug} {row.design} run {i}: {seconds:.2f} s, {describe(report)}, "
            f"rounds {speed_rounds(report.tests)}"
            f"{'' if warm is None else f', warm set {warm:g}'}{waited}"
            f"{'' if i else ' (warm-up)'}"
        )
        if not ok:
            row.notes.append(f"run {i}: {describe(report)}{_last_line(report.diagnostics)}")
            if report.diagnostics:
                progress(report.diagnostics[-2000:])
        if i:
            row.seconds.append(seconds)
            row.speed_seconds.append(sum(t.duration_s for t in report.tests if t.is_speed))
            row.rounds.append(speed_rounds(report.tests))
            row.good += ok
            reports.append(report)
    return reports


def _last_line(diagnostics: str | None) -> str:
    lines = (diagnostics or "").strip().splitlines()
    return f" ({lines[-1][:200]})" if lines else ""


# (label, from, to) in a job's timings (sandbox.job): seconds since the job started.
PHASES = (
    ("set ready", None, "ready_s"),
    ("go to tests collected", "started_s", "collected_s"),
    ("tests", "collected_s", "tests_done_s"),
    ("exit + cleanup", "tests_done_s", "total_s"),
)


def _phase_note(reports: list[Report]) -> str:
    """Where a median run spent its time (the job's own timings)."""
    parts = []
    for label, begin, end in PHASES:
        values = []
        for report in reports:
            t = report.timings
            stop = t.get(end, t.get("created_s")) if end == "ready_s" else t.get(end)
            if stop is not None and (begin is None or begin in t):
                values.append(stop - (t[begin] if begin else 0.0))
        if values:
            parts.append(f"{label} {statistics.median(values):.2f}")
    return "median s: " + ", ".join(parts) if parts else ""


def measure_cold(
    client: docker.DockerClient,
    config: SandboxConfig,
    exercise: Exercise,
    source: bytes,
    runs: int,
    progress: Progress,
) -> Row:
    row = Row(exercise.slug, COLD)
    cold = dataclasses.replace(config, pool_size=0)
    reports = _grade_rows(row, exercise, source, runs, cold, client, progress)
    row.notes.append(_phase_note(reports))
    return row


@contextmanager
def warm_pool(
    client: docker.DockerClient, config: SandboxConfig, exercise: Exercise, size: int = 2
) -> Iterator[Any]:
    """A Keeper warming `exercise`'s sets for the duration; None when there is no pool."""
    if Keeper is None or config.pool_size <= 0:
        yield None
        return
    keeper = Keeper(client, config, size=size)
    keeper.start()
    try:
        keeper.prewarm(exercise)
        yield keeper
    finally:
        keeper.stop()


def wait_refilled(keeper: Any, exercise: Exercise) -> str:
    """Block until a set is ready and no other set is warming up (the pool had time to refill);
    return a note for the progress line."""
    started = time.monotonic()
    if not keeper.wait_ready(exercise, count=1, timeout_s=180):
        return ", NO SET READY after 180 s"
    deadline = time.monotonic() + QUIET_WAIT_S
    while getattr(keeper, "starting", None) and time.monotonic() < deadline:
        time.sleep(0.1)
    return f", waited {time.monotonic() - started:.1f} s for the pool"


def measure_warm(
    client: docker.DockerClient,
    config: SandboxConfig,
    exercise: Exercise,
    source: bytes,
    runs: int,
    progress: Progress,
) -> Row:
    row = Row(exercise.slug, WARM)
    with warm_pool(client, config, exercise) as keeper:
        if keeper is None:
            row.unavailable = "sandbox.pool.Keeper is not available in this tree"
            return row
        reports = _grade_rows(
            row,
            exercise,
            source,
            runs,
            config,
            client,
            progress,
            before_each=lambda: wait_refilled(keeper, exercise),
        )
    used = sum(r.timings.get("warm_set") == 1.0 for r in reports)
    row.notes.append(f"warm sets used {used}/{len(reports)}")
    if used < len(reports):
        row.good -= len(reports) - used  # a cold run is not a warm measurement
    row.notes.append(_phase_note(reports))
    return row


def speed_ratio(report: Report) -> float | None:
    """The report's speed ratio (reference time / candidate time; geometric mean over tests)."""
    if report.speed and isinstance(report.speed.get("ratio"), int | float):
        return float(report.speed["ratio"])
    return None


@dataclass
class Stability:
    """The same files graded again and again: the fast one's ratios, the slow one's beside."""

    fast: list[float] = field(default_factory=list)
    slow: list[float] = field(default_factory=list)
    fast_rounds: list[int] = field(default_factory=list)  # the speed tests' rounds, all gradings
    slow_rounds: list[int] = field(default_factory=list)
    warm: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def ranked_slower(self) -> int:
        """Pairs (graded one after the other) in which the slow file got the lower ratio."""
        return sum(s < f for f, s in zip(self.fast, self.slow, strict=False))


def measure_stability(
    client: docker.DockerClient,
    config: SandboxConfig,
    exercise: Exercise,
    fast: bytes,
    slow: bytes,
    gradings: int,
    progress: Progress,
) -> Stability:
    """Grade `fast` and `slow` `gradings` times each, in pairs (order alternating)."""
    result = Stability()
    with warm_pool(client, config, exercise) as keeper:
        result.warm = keeper is not None
        grade_config = config if keeper is not None else dataclasses.replace(config, pool_size=0)
        for i in range(gradings):
            pair = [
                ("fast", fast, result.fast, result.fast_rounds),
                ("slow", slow, result.slow, result.slow_rounds),
            ]
            for name, source, ratios, rounds in pair if i % 2 == 0 else pair[::-1]:
                waited = wait_refilled(keeper, exercise) if keeper is not None else ""
                report = sandbox.grade(exercise, source, config=grade_config, client=client)
                ratio = speed_ratio(report)
                rounds += speed_rounds(report.tests)
                progress(
                    f"stability {i} {name}: ratio {ratio}, {describe(report)}, score "
                    f"{report.score:.1f}, rounds {speed_rounds(report.tests)}{waited}"
                )
                if ratio is None:
                    result.notes.append(
                        f"{name} grading {i} had no speed ratio: {describe(report)}"
                        f"{_last_line(report.diagnostics)}"
                    )
                    ratio = float("nan")
                ratios.append(ratio)
    return result
