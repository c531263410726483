"""The exercise suites without isolation: the same CheckerPlugin and test files, in one process.

`solution` and `reference` are modules imported into this process, behind a stand-in for
`graders.endpoint.Endpoint` (`InProcessSide`: the methods RemoteRef and the plugin use), so a
call is a plain function call: no sockets, no containers, no codec. For benchmarks only: the
candidate shares the process with the tests and the verdict, which the real design forbids.

    run = run_suite(tests_dir=..., suite="hidden", spec=..., candidate=..., reference=...)
    python -m inprocess --spec '<JobSpec JSON>' ...   # the same, once, inside a container

Imports only `graders` and pytest (the sandbox image has both), so it can be mounted into one.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import pickle
import sys
import time
import traceback
import types
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, cast

import pytest

from graders import pytest_plugin
from graders.checker import PYTEST_ARGS
from graders.codec import RemoteHandle
from graders.endpoint import Endpoint, StaysRemote
from graders.errors import ReferenceFailed, remote_exception
from graders.jobspec import JobSpec
from graders.pytest_plugin import CheckerPlugin
from graders.report import Outcome, TestResult

CHECKER_INI = Path(pytest_plugin.__file__).with_name("checker.ini")


@dataclass
class _Settings:
    name: str


class _Unpickler(pickle.Unpickler):
    """Arguments as graders.remote pickled them, with remote handles mapped back to objects."""

    def __init__(self, data: bytes, handles: dict[int, object]) -> None:
        super().__init__(io.BytesIO(data))
        self.handles = handles

    def persistent_load(self, pid: Any) -> object:
        _, handle_id = pid
        return self.handles[handle_id]


class InProcessSide:
    """One side (candidate or reference) as the plugin sees it, answered by a local module.

    `request` does what graders.worker does for getattr/call/setattr, minus the codec: values
    come back as the very objects the module returned. Arguments are still unpickled (graders.
    remote pickles them before they reach us), so the module gets its own copies, as it would.
    """

    def __init__(self, name: str, module: types.ModuleType) -> None:
        self.settings = _Settings(name)
        self.module = module
        self.call_timeout_s = 0.0  # set per test by the plugin; nothing here enforces it
        self.faults: list[Exception] = []  # nothing hangs or crashes apart from the process
        self.import_failure = None
        self.handles: dict[int, object] = {}

    def request(self, op: str, header: dict[str, Any], buffers: list[bytes]) -> tuple[Any, float]:
        started = time.perf_counter()
        try:
            value = self._answer(op, header, buffers)
        except Exception as exc:
            raised = remote_exception(type(exc).__name__, str(exc), traceback.format_exc())
            if self.settings.name == "reference":
                raise ReferenceFailed(f"the reference solution raised {raised}") from exc
            raise raised from exc
        return value, time.perf_counter() - started

    def _answer(self, op: str, header: dict[str, Any], buffers: list[bytes]) -> Any:
        target = self._resolve(header["target"])
        if op == "getattr":
            value = getattr(target, header["name"])
            if callable(value) or isinstance(value, types.ModuleType):
                return StaysRemote(isinstance(value, type))
            return value
        if op == "setattr":
            (value,) = _Unpickler(bytes(buffers[0]), self.handles).load()
            setattr(target, header["name"], value)
            return None
        args, kwargs = _Unpickler(bytes(buffers[0]), self.handles).load()
        result = target(*args, **kwargs)
        if isinstance(target, type):
            handle_id = len(self.handles) + 1
            self.handles[handle_id] = result
            return RemoteHandle(handle_id, type(result).__name__)
        if header.get("return_args") is True:
            return result, list(args), kwargs
        return result

    def _resolve(self, path: list[Any]) -> Any:
        root, *names = path
        obj = self.module if root == "module" else self.handles[root]
        for name in names:
            obj = getattr(obj, name)
        return obj

    def close(self) -> None:
        pass


def load_module(path: Path, name: str) -> types.ModuleType:
    """Import the solution file at `path` as a fresh module `name` (as graders.worker does)."""
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    exec(compile(path.read_text(), str(path), "exec", dont_inherit=True), module.__dict__)
    return module


@dataclass
class SuiteRun:
    """One pytest run of a suite: how long pytest.main took and what the plugin recorded."""

    seconds: float
    exit_code: int
    expected: list[str]
    results: list[TestResult]
    collection_errors: list[str] = field(default_factory=list)
    output: str = ""

    @property
    def all_passed(self) -> bool:
        return (
            self.exit_code == 0
            and not self.collection_errors
            and len(self.results) == len(self.expected) > 0
            and all(r.outcome is Outcome.PASSED for r in self.results)
        )

    @property
    def speed_seconds(self) -> float:
        """The speed tests' share of the run (their rounds adapt to noise: see graders.speed)."""
        return sum(r.duration_s for r in self.results if r.is_speed)

    def summary(self) -> dict[str, Any]:
        return {
            "seconds": self.seconds,
            "exit_code": self.exit_code,
            "expected": len(self.expected),
            "passed": sum(r.outcome is Outcome.PASSED for r in self.results),
            "all_passed": self.all_passed,
            "speed_s": self.speed_seconds,
            "speed_rounds": [
                r.speed["rounds"] for r in self.results if r.is_speed and r.speed is not None
            ],
            "failed": [
                f"{r.name}: {r.outcome}" for r in self.results if r.outcome is not Outcome.PASSED
            ],
        }


def run_suite(
    *,
    tests_dir: Path,
    suite: str,
    spec: JobSpec,
    candidate: Path,
    reference: Path,
    support_dir: Path | None = None,
) -> SuiteRun:
    """Run the suite once with both sides imported here; time only `pytest.main`."""
    if support_dir is not None and support_dir.is_dir() and str(support_dir) not in sys.path:
        sys.path.append(str(support_dir))
    sides = (
        InProcessSide("candidate", load_module(candidate, "solution")),
        InProcessSide("reference", load_module(reference, "_tj_reference")),
    )
    plugin = CheckerPlugin(
        spec=spec,
        candidate=cast(Endpoint, sides[0]),
        reference=cast(Endpoint, sides[1]),
        candidate_source=str(candidate),
        emit=lambda event: None,
    )
    args = [
        *PYTEST_ARGS,
        "-c",
        str(CHECKER_INI),
        "--rootdir",
        str(tests_dir),
        "--confcutdir",
        str(tests_dir),
        str(tests_dir / suite),
    ]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        started = time.perf_counter()
        exit_code = int(pytest.main(args, plugins=[plugin, pytest_plugin]))
        seconds = time.perf_counter() - started
    return SuiteRun(
        seconds=seconds,
        exit_code=exit_code,
        expected=plugin.expected,
        results=plugin.results,
        collection_errors=plugin.collection_errors,
        output=output.getvalue(),
    )


def main(argv: Sequence[str] | None = None, stdout: TextIO = sys.stdout) -> None:
    """One run, for a container: pytest's output to stderr, one JSON summary line to stdout."""
    parser = argparse.ArgumentParser(prog="inprocess")
    parser.add_argument("--spec", required=True, help="JobSpec as JSON")
    parser.add_argument("--tests-dir", type=Path, required=True)
    parser.add_argument("--candidate", type=Path, required=True)
    parser.add_argument("--reference", type=Path, required=True)
    parser.add_argument("--support-dir", type=Path, default=None)
    options = parser.parse_args(argv)
    spec = JobSpec.from_json(options.spec)
    run = run_suite(
        tests_dir=options.tests_dir,
        suite=spec.suite,
        spec=spec,
        candidate=options.candidate,
        reference=options.reference,
        support_dir=options.support_dir,
    )
    sys.stderr.write(run.output)
    stdout.write(json.dumps(run.summary()) + "\n")
    stdout.flush()


if __name__ == "__main__":
    main()
