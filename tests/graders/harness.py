"""Run the real checker and two real runners as local processes, without Docker.

For the protocol tests: fast, and able to put the checker in front of a hostile worker (the
candidate's module can rewrite the worker it runs in). Only the project's own test code runs
here as the "candidate"; untrusted code only ever runs in the Docker sandbox.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graders.jobspec import JobSpec
from graders.speed import SpeedPolicy

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class LocalRun:
    done: dict[str, Any] | None
    events: list[dict[str, Any]]
    checker_stderr: str

    def outcomes(self) -> dict[str, str]:
        assert self.done is not None, self.checker_stderr[-3000:]
        return {t["name"]: t["outcome"] for t in self.done["tests"]}

    def result(self, name: str) -> dict[str, Any]:
        assert self.done is not None, self.checker_stderr[-3000:]
        return next(t for t in self.done["tests"] if t["name"] == name)


def run_local(
    folder: Path,
    *,
    tests: dict[str, str],
    candidate: str | bytes,
    reference: str = "",
    suite: str = "hidden",
    call_timeout_s: float = 3.0,
    banned: tuple[str, ...] = (),
    preload: str = "numpy",
) -> LocalRun:
    (folder / "tests" / suite).mkdir(parents=True)
    for name, text in tests.items():
        (folder / "tests" / suite / name).write_text(text)
    source = candidate if isinstance(candidate, bytes) else candidate.encode()
    (folder / "candidate.py").write_bytes(source)
    (folder / "reference.py").write_text(reference)
    spec = JobSpec(
        exercise="local",
        suite=suite,
        call_timeout_s=call_timeout_s,
        import_timeout_s=10.0,
        start_timeout_s=30.0,
        max_consecutive_timeouts=3,
        total_call_time_s=60.0,
        correctness_share=100.0,
        speed_share=0.0,
        speed=SpeedPolicy(min_rounds=3, max_rounds=5, budget_s=2.0),
        banned_imports=banned,
        seed=1,
    )
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    python = sys.executable
    checker = subprocess.Popen(
        [
            python,
            "-m",
            "graders.checker",
            "--spec",
            spec.to_json(),
            "--tests-dir",
            str(folder / "tests"),
            "--support-dir",
            str(folder / "support"),
            "--candidate-source",
            str(folder / "candidate.py"),
            "--candidate-socket",
            str(folder / "c.sock"),
            "--reference-socket",
            str(folder / "r.sock"),
        ],
        stdout=subprocess.PIPE,
        stderr=(folder / "checker.err").open("w"),
        env=env,
        cwd=ROOT,
    )
    runners = [
        subprocess.Popen(
            [
                python,
                "-m",
                "graders.runner",
                "--socket",
                str(folder / socket_name),
                "--module",
                str(folder / module),
                "--preload",
                preload,
                "--banned",
                ",".join(banned) if socket_name == "c.sock" else "",
                "--output-limit",
                str(256 * 1024),
            ],
            stdout=(folder / f"{socket_name}.out").open("w"),
            stderr=subprocess.STDOUT,
            env=env,
            cwd=folder,
            start_new_session=True,
        )
        for socket_name, module in (("c.sock", "candidate.py"), ("r.sock", "reference.py"))
    ]
    events = []
    try:
        assert checker.stdout is not None
        for line in checker.stdout:
            events.append(json.loads(line))
        checker.wait(timeout=120)
    finally:
        for runner in runners:  # the supervisor has killed its workers already; now the rest
            with contextlib.suppress(ProcessLookupError):
                os.killpg(runner.pid, signal.SIGKILL)
            runner.wait()
    done = next((e for e in events if e.get("event") == "done"), None)
    return LocalRun(done, events, (folder / "checker.err").read_text())
