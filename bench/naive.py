"""The naive design, for comparison: one fresh hardened container per submission that runs pytest
on the suite with the candidate imported into the test process (bench/inprocess.py).

Same hardening as the sandbox's checker (sandbox.containers.docker_arguments: no network,
read-only root, no capabilities...), none of its isolation between tests and candidate.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docker
import docker.errors

from graders.jobspec import JobSpec
from graders.package import Exercise
from sandbox.config import SandboxConfig
from sandbox.containers import CHECKER_UID, Bind, ContainerSpec, docker_arguments
from sandbox.job import new_job_id

INPROCESS = Path(__file__).resolve().with_name("inprocess.py")
COMMAND_OPTIONS = [
    *("--tests-dir", "/exercise/tests"),
    *("--candidate", "/candidate/solution.py"),
    *("--reference", "/reference/solution.py"),
    *("--support-dir", "/exercise/support"),
]


@dataclass
class NaiveRun:
    seconds: float  # create + start to exit
    remove_s: float
    summary: dict[str, Any]

    @property
    def all_passed(self) -> bool:
        return bool(self.summary.get("all_passed"))


def naive_spec(
    config: SandboxConfig, image: str, exercise: Exercise, candidate: Path, seed: int
) -> ContainerSpec:
    """The container: the checker's limits, the candidate and reference files mounted beside the
    tests, `python -m inprocess` as its command."""
    spec = JobSpec.for_exercise(exercise, "hidden", seed=seed)
    support = exercise.support_path
    binds = [
        Bind(str(exercise.path / "tests"), "/exercise/tests"),
        Bind(str(candidate), "/candidate/solution.py"),
        Bind(str(exercise.solution_path), "/reference/solution.py"),
        Bind(str(INPROCESS), "/bench/inprocess.py"),
    ]
    if support.is_dir():
        binds.append(Bind(str(support), "/exercise/support"))
    return ContainerSpec(
        role="bench-naive",
        job_id=new_job_id(),
        image=image,
        command=["python", "-m", "inprocess", *COMMAND_OPTIONS, "--spec", spec.to_json()],
        uid=CHECKER_UID,
        memory_mb=config.checker_memory_mb,
        pids=config.checker_pids,
        cpus=1.0,
        cpuset=config.checker_cpuset,
        tmpfs_mb=256,
        log_kb=config.checker_output_kb,
        runtime=config.runtime,
        binds=binds,
        environment={"PYTHONPATH": "/bench", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
        created_at=datetime.now(UTC).isoformat(),
    )


def run_naive(
    client: docker.DockerClient,
    config: SandboxConfig,
    image: str,
    exercise: Exercise,
    candidate: Path,
    *,
    seed: int,
    timeout_s: float = 600.0,
) -> NaiveRun:
    """Run the suite once in a fresh container; time from create to exit; remove it."""
    arguments = docker_arguments(naive_spec(config, image, exercise, candidate, seed))
    started = time.perf_counter()
    container = client.containers.create(**arguments)
    try:
        container.start()
        status = container.wait(timeout=timeout_s)
        seconds = time.perf_counter() - started
        stdout = container.logs(stdout=True, stderr=False).decode("utf-8", "replace")
        lines = stdout.strip().splitlines()
        try:
            summary = json.loads(lines[-1]) if lines else {}
        except ValueError:
            summary = {}
        if not summary:
            stderr = container.logs(stdout=False, stderr=True, tail=30).decode("utf-8", "replace")
            summary = {"all_passed": False, "exit": status, "stderr": stderr[-3000:]}
    finally:
        removing = time.perf_counter()
        with contextlib.suppress(docker.errors.NotFound):
            container.remove(force=True)
        remove_s = time.perf_counter() - removing
    return NaiveRun(seconds=seconds, remove_s=remove_s, summary=summary)
