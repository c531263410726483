"""The trusted side of a grading job: runs the exercise's pytest suite inside the checker container.

    python -I -m graders.checker --spec '<JobSpec JSON>'

It listens on one socket per side (candidate, reference), runs pytest on the suite with
`CheckerPlugin`, and writes JSON-lines events to its stdout, which only the host reads:
`collected`, `test_started`, `test_finished` (one per test) and finally `done`. Everything else
pytest prints goes to stderr. The candidate never shares this process or this container.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import pytest

from graders import jobspec, pytest_plugin
from graders.endpoint import Endpoint, EndpointSettings, ImportFailure
from graders.jobspec import JobSpec
from graders.pytest_plugin import CheckerPlugin

# pytest's own configuration for the checker: no cache, no plugins found by entry points (also
# disabled by PYTEST_DISABLE_PLUGIN_AUTOLOAD in the container), no ini file from the tree.
PYTEST_ARGS = [
    "-p",
    "no:cacheprovider",
    "-p",
    "no:stepwise",
    "-p",
    "no:pastebin",
    "-p",
    "no:junitxml",
    "--strict-markers",
    "--tb=short",
    "-q",
    "--no-header",
    "-o",
    "console_output_style=classic",
]


class EventStream:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def emit(self, event: dict[str, Any]) -> None:
        self.stream.write(json.dumps(event, separators=(",", ":")) + "\n")
        self.stream.flush()


def run(spec: JobSpec, events: EventStream, options: argparse.Namespace) -> int:
    """Run the suite; emit every event including `done`; return pytest's exit code."""
    started = time.monotonic()
    if os.path.isdir(options.support_dir):
        sys.path.append(options.support_dir)
    candidate, reference = (
        Endpoint(
            EndpointSettings(
                name=side,
                socket_path=socket_path,
                call_timeout_s=spec.call_timeout_s,
                import_timeout_s=spec.import_timeout_s,
                start_timeout_s=spec.start_timeout_s,
                max_consecutive_timeouts=spec.max_consecutive_timeouts,
                total_call_time_s=budget,
            )
        )
        for side, socket_path, budget in (
            ("candidate", options.candidate_socket, spec.total_call_time_s),
            # The reference's time is bounded by the job's wall clock; its budget is not a rule.
            ("reference", options.reference_socket, 10 * spec.total_call_time_s),
        )
    )
    reference.partner = candidate  # the candidate is frozen while the reference runs
    events.emit({"event": "listening"})
    plugin = CheckerPlugin(
        spec=spec,
        candidate=candidate,
        reference=reference,
        candidate_source=options.candidate_source,
        emit=events.emit,
    )
    tests_dir = options.tests_dir
    ini_path = os.path.join(os.path.dirname(__file__), "checker.ini")
    args = [
        *PYTEST_ARGS,
        "-c",
        ini_path,
        "--rootdir",
        tests_dir,
        "--confcutdir",
        tests_dir,
        os.path.join(tests_dir, spec.suite),
    ]
    try:
        exit_code = int(pytest.main(args, plugins=[plugin, pytest_plugin]))
    finally:
        candidate.close()
        reference.close()
    failure = candidate.import_failure
    events.emit(
        {
            "event": "done",
            "pytest_exit": exit_code,
            "expected": plugin.expected,
            "tests": [r.as_dict() for r in plugin.results],
            "collection_errors": plugin.collection_errors,
            "sandbox_faults": plugin.sandbox_faults,
            "import_failure": None if failure is None else _failure_report(failure, spec),
            "timings": {
                "checker_s": time.monotonic() - started,
                "cpu_s": _cpu_s(),
                "checker_peak_rss_mb": _peak_rss_mb(),
                "candidate_preload_s": candidate.preload_s or 0.0,
                "candidate_workers": candidate.workers_started,
                "candidate_call_s": candidate.call_time_s,
                "candidate_max_call_fraction": candidate.max_call_fraction,
            },
        }
    )
    return exit_code


def _cpu_s() -> float:
    """CPU time of this process (imports before the job included) and its reaped children."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike getrusage's maxrss, it does not count
    what the process that forked us had before our exec)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _failure_report(failure: ImportFailure, spec: JobSpec) -> dict[str, Any]:
    """How the module failed to import, as the report may tell it.

    Its text is the candidate's own (an exception message, a traceback). At the first import no
    call had reached the candidate and it is safe to show; on a worker restarted after a crash
    it may carry what hidden calls sent, so a hidden report says only what happened.
    """
    safe = spec.visible or failure.first
    return {
        "kind": failure.kind,
        "first": failure.first,
        "message": failure.message
        if safe
        else f"the module failed to import again after its worker was restarted ({failure.kind})",
        "traceback": failure.traceback if spec.visible else "",
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="graders.checker")
    parser.add_argument("--spec", required=True, help="JobSpec as JSON")
    # The defaults are the container's mount points (graders.jobspec); tests override them.
    parser.add_argument("--tests-dir", default=jobspec.CHECKER_TESTS_DIR)
    parser.add_argument("--support-dir", default=jobspec.CHECKER_SUPPORT_DIR)
    parser.add_argument("--candidate-source", default=jobspec.CANDIDATE_SOURCE)
    parser.add_argument("--candidate-socket", default=jobspec.CANDIDATE_SOCKET)
    parser.add_argument("--reference-socket", default=jobspec.REFERENCE_SOCKET)
    options = parser.parse_args(argv)
    spec = JobSpec.from_json(options.spec)
    # Events own the real stdout; anything else printed (pytest's summary) goes to stderr.
    events = EventStream(os.fdopen(os.dup(1), "w", buffering=1))
    os.dup2(2, 1)
    run(spec, events, options)


if __name__ == "__main__":
    main()
