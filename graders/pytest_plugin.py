"""The checker's pytest plugin: fixtures for exercise tests, markers, and one result per test.

Exercise tests are ordinary pytest functions using these fixtures:
    solution     the candidate's module, remote (graders.remote.RemoteRef)
    reference    the reference solution's module, remote, under the same limits
    speed        times candidate vs reference (see SpeedFixture.compare); for @pytest.mark.speed
    tolerances   the [tolerances] table of exercise.toml, as a dict
    candidate_source  the candidate's solution.py as text (rules about the code itself)
and these markers:
    @pytest.mark.weight(n)       the test's share of its group's points (default 1)
    @pytest.mark.timeout(s)      the limit for each remote call in this test (default: exercise's)
    @pytest.mark.speed           a speed test: points follow the speed curve, not pass/fail

Every collected test ends as exactly one `TestResult`, classified by the type of what ended it
(`classify`), never by exit codes or by text the candidate wrote.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from graders.endpoint import Endpoint
from graders.errors import (
    CandidateCrashed,
    CandidateError,
    CandidateImportFailed,
    CandidateTimeout,
    SandboxFault,
    UnsafeValue,
)
from graders.imports import find_banned_imports
from graders.jobspec import JobSpec
from graders.remote import RemoteRef, timed_call
from graders.report import Outcome, TestResult
from graders.speed import SpeedResult, measure
from graders.text import decode_solution

MAX_MESSAGE_CHARS = 6000


@dataclass(frozen=True)
class Phase:
    """What is kept of a test phase (setup, call, teardown): never the exception itself, whose
    traceback would keep the candidate's replies alive in the checker until the run ends."""

    passed: bool
    outcome: Outcome
    cause: str | None
    message: str | None


_phases_key = pytest.StashKey[dict[str, Phase]]()
_speed_key = pytest.StashKey[SpeedResult]()


@dataclass
class Case:
    """One speed round's inputs: the positional and keyword arguments of both calls."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)


class SpeedFixture:
    """Times the candidate against the reference from the checker (see graders.speed)."""

    def __init__(self, plugin: CheckerPlugin, item: pytest.Item) -> None:
        self.plugin = plugin
        self.item = item

    @staticmethod
    def case(*args: Any, **kwargs: Any) -> Case:
        return Case(args, kwargs)

    def compare(
        self,
        candidate_fn: RemoteRef,
        reference_fn: RemoteRef,
        make_case: Callable[[np.random.Generator], Case],
        check: Callable[[Case, Any, Any], None],
    ) -> SpeedResult:
        """Measure `candidate_fn` against `reference_fn` on fresh cases; record the result.

        `make_case(rng)` builds one round's inputs from a fresh generator (seeded per job, so
        inputs differ between submissions); `check(case, candidate_output, reference_output)`
        must raise AssertionError when the candidate's output is wrong. The candidate's
        processes are frozen while the reference runs (graders.endpoint does it on every call).
        """
        seed = self.plugin.spec.seed
        result = measure(
            run_candidate=lambda case: timed_call(candidate_fn, *case.args, **case.kwargs),
            run_reference=lambda case: timed_call(reference_fn, *case.args, **case.kwargs),
            make_case=lambda i: make_case(np.random.default_rng([seed, i])),
            check=check,
            policy=self.plugin.spec.speed,
        )
        self.item.stash[_speed_key] = result
        return result


def classify(exc: BaseException | None) -> tuple[Outcome, str | None]:
    """The outcome (and crash cause) of a test that ended with `exc` (None: it passed)."""
    if exc is None:
        return Outcome.PASSED, None
    if isinstance(exc, CandidateTimeout):
        return Outcome.TIMEOUT, None
    if isinstance(exc, CandidateCrashed):
        return Outcome.CRASHED, exc.cause
    if isinstance(exc, CandidateImportFailed):
        if exc.kind == "timeout":
            return Outcome.TIMEOUT, "import"
        if exc.kind == "memory":
            return Outcome.CRASHED, "memory"
        return Outcome.ERROR, "import"
    if isinstance(exc, SandboxFault):
        return Outcome.ERROR, "sandbox"
    if isinstance(exc, CandidateError):
        return Outcome.ERROR, None
    return Outcome.FAILED, None  # AssertionError, UnsafeValue, a wrong-shaped result...


class AllowedImportsItem(pytest.Item):
    """A built-in test added when the exercise bans imports: reads the source, names the line."""

    def __init__(self, *, banned: tuple[str, ...], source_path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.banned = banned
        self.source_path = source_path

    def runtest(self) -> None:
        try:
            problems = find_banned_imports(
                decode_solution(Path(self.source_path).read_bytes()), self.banned
            )
        except (UnicodeDecodeError, SyntaxError, ValueError, RecursionError, MemoryError) as exc:
            # Fail closed: what cannot be read cannot be cleared (COMPILE_ERROR says the rest).
            raise AssertionError(
                "the imports could not be checked: the module does not parse"
            ) from exc
        if problems:
            raise AssertionError(
                "this exercise does not allow "
                + ", ".join(self.banned)
                + ": "
                + "; ".join(problems)
            )

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, self.name


_plugin_key = pytest.StashKey["CheckerPlugin"]()


@pytest.fixture(scope="session")
def solution(pytestconfig: pytest.Config) -> RemoteRef:
    """The candidate's module, in the candidate's container."""
    return RemoteRef(pytestconfig.stash[_plugin_key].candidate_side, ["module"])


@pytest.fixture(scope="session")
def reference(pytestconfig: pytest.Config) -> RemoteRef:
    """The reference solution's module, in its own container under the candidate's limits."""
    return RemoteRef(pytestconfig.stash[_plugin_key].reference_side, ["module"])


@pytest.fixture(scope="session")
def tolerances(pytestconfig: pytest.Config) -> dict[str, float]:
    """The exercise's [tolerances] table."""
    return dict(pytestconfig.stash[_plugin_key].spec.tolerances)


@pytest.fixture(scope="session")
def candidate_source(pytestconfig: pytest.Config) -> str:
    """The candidate's solution.py as text (for rules about the code itself, e.g. "uses a
    convolution"; banned imports are checked by the plugin already)."""
    return decode_solution(Path(pytestconfig.stash[_plugin_key].candidate_source).read_bytes())


@pytest.fixture
def speed(request: pytest.FixtureRequest) -> SpeedFixture:
    """Times candidate against reference; see SpeedFixture.compare."""
    return SpeedFixture(request.config.stash[_plugin_key], request.node)


class CheckerPlugin:
    """Registered by `graders.checker` with this module; turns the run into TestResults."""

    def __init__(
        self,
        *,
        spec: JobSpec,
        candidate: Endpoint,
        reference: Endpoint,
        candidate_source: str,
        emit: Callable[[dict[str, Any]], None],
    ) -> None:
        self.spec = spec
        self.candidate_side = candidate
        self.reference_side = reference
        self.candidate_source = candidate_source
        self.emit = emit
        self.results: list[TestResult] = []
        self.collection_errors: list[str] = []
        self.sandbox_faults: list[str] = []
        self.expected: list[str] = []

    # -- configuration and fixtures ------------------------------------------------------------

    def pytest_configure(self, config: pytest.Config) -> None:
        config.stash[_plugin_key] = self
        config.addinivalue_line("markers", "weight(n): the test's share of its group's points")
        config.addinivalue_line("markers", "timeout(seconds): limit for each remote call")
        config.addinivalue_line("markers", "speed: a speed test scored by the speed curve")

    # -- collection ----------------------------------------------------------------------------

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {str(report.longrepr)[-2000:]}")

    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        parent = items[0].parent if items else None
        if self.spec.banned_imports and parent is not None:
            items.append(
                AllowedImportsItem.from_parent(
                    parent,
                    name="test_uses_only_allowed_imports",
                    banned=self.spec.banned_imports,
                    source_path=self.candidate_source,
                )
            )
        self.expected = [item.nodeid for item in items]
        self.emit(
            {
                "event": "collected",
                "tests": [
                    {
                        "nodeid": item.nodeid,
                        "name": item.name,
                        "description": _description(item),
                        "weight": _weight(item),
                        "speed": item.get_closest_marker("speed") is not None,
                    }
                    for item in items
                ],
            }
        )

    # -- running -------------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_protocol(self, item: pytest.Item, nextitem: pytest.Item | None) -> Any:
        marker = item.get_closest_marker("timeout")
        call_timeout_s = (
            float(marker.args[0]) if marker and marker.args else self.spec.call_timeout_s
        )
        for endpoint in (self.candidate_side, self.reference_side):
            endpoint.call_timeout_s = call_timeout_s
        item.stash[_phases_key] = {}
        for endpoint in (self.candidate_side, self.reference_side):
            endpoint.faults.clear()
        self.emit({"event": "test_started", "nodeid": item.nodeid})
        started = time.monotonic()
        outcome = yield
        self.finish(item, time.monotonic() - started)
        return outcome

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        report: pytest.TestReport = yield
        exc = call.excinfo.value if call.excinfo is not None else None
        passed = not (report.failed or report.skipped)
        if not passed and exc is None:
            exc = AssertionError(f"the test did not pass ({call.when})")
        outcome, cause = classify(exc if not passed else None)
        message = _message(report, exc) if not passed else None
        item.stash[_phases_key][call.when] = Phase(passed, outcome, cause, message)
        return report

    def finish(self, item: pytest.Item, duration_s: float) -> None:
        phases = item.stash.get(_phases_key, {})
        # A skip is not a pass: Skipped lands in classify() as a failure.
        failed = next(
            (
                p
                for w in ("setup", "call", "teardown")
                if (p := phases.get(w)) is not None and not p.passed
            ),
            None,
        )
        if failed is not None:
            outcome, cause, message = failed.outcome, failed.cause, failed.message
        elif "call" not in phases:  # positive evidence only: no run, no pass
            outcome, cause, message = Outcome.ERROR, "sandbox", "the test did not run"
        else:
            outcome, cause, message = Outcome.PASSED, None, None
        # A hang, a crash or a refused value counts whatever the test made of it: a test that
        # wraps its call in `pytest.raises(Exception)` must not turn a timeout into a pass.
        faults = [*self.reference_side.faults, *self.candidate_side.faults]
        if faults and outcome in (Outcome.PASSED, Outcome.FAILED):
            outcome, cause = classify(faults[0])
            message = f"{type(faults[0]).__name__}: {faults[0]}"
        for endpoint in (self.candidate_side, self.reference_side):
            endpoint.faults.clear()
        sys.last_type = sys.last_value = sys.last_traceback = None  # pytest keeps the last one
        # A failed test leaves reference cycles (pytest's CallInfo <-> the traceback's frames)
        # that hold the candidate's last reply; collect them now, not when the allocator gets
        # round to it, or a few big replies add up past the checker's memory. Freezing what
        # survives keeps each collection down to what the test just made.
        gc.collect()
        gc.freeze()
        is_speed = item.get_closest_marker("speed") is not None
        speed_result = item.stash.get(_speed_key, None)
        fraction = 1.0 if outcome is Outcome.PASSED else 0.0
        if is_speed and outcome is Outcome.PASSED:
            if speed_result is None:
                outcome, cause = Outcome.ERROR, "sandbox"
                message = "speed test made no measurement (the exercise's test is wrong)"
            else:
                fraction = speed_result.fraction
        if cause == "sandbox":
            self.sandbox_faults.append(f"{item.nodeid}: {message}")
        result = TestResult(
            nodeid=item.nodeid,
            name=item.name,
            description=_description(item),
            outcome=outcome,
            weight=_weight(item),
            visible=self.spec.visible,
            message=message if self.spec.visible else None,
            duration_s=duration_s,
            is_speed=is_speed,
            fraction=fraction,
            cause=cause,
            speed=(
                speed_result.as_report(with_samples=self.spec.visible)
                if speed_result is not None
                else None
            ),
        )
        self.results.append(result)
        self.emit({"event": "test_finished", "result": result.as_dict()})


def _weight(item: pytest.Item) -> float:
    if isinstance(item, AllowedImportsItem):
        return 0.0  # a rule, not a skill: breaking it fails the verdict, keeping it earns nothing
    marker = item.get_closest_marker("weight")
    return float(marker.args[0]) if marker and marker.args else 1.0


def _description(item: pytest.Item) -> str:
    if isinstance(item, AllowedImportsItem):
        return "Uses only the imports this exercise allows."
    doc = getattr(getattr(item, "obj", None), "__doc__", None) or ""
    lines = [line.strip() for line in doc.strip().splitlines() if line.strip()]
    return lines[0] if lines else item.name.removeprefix("test_").replace("_", " ")


def _message(report: pytest.TestReport, exc: BaseException | None) -> str:
    """A failing test's message for the candidate (public tests only): what, where, their trace."""
    text = report.longreprtext or (str(exc) if exc else "")
    if isinstance(exc, CandidateError) and exc.traceback_text:
        text += "\n\nTraceback in your code:\n" + exc.traceback_text
    if isinstance(exc, UnsafeValue):
        text = f"UnsafeValue: {exc}\n\n{text}"
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[: MAX_MESSAGE_CHARS // 2] + "\n...\n" + text[-MAX_MESSAGE_CHARS // 2 :]
    return text
