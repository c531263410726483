"""Run one grading job in Docker: three containers, one event stream, nothing left behind.

The host writes the candidate's file into a fresh job directory, starts the checker, candidate
and reference containers, reads the checker's JSON-lines events (the only channel it trusts),
enforces the job's wall-clock limit, and removes every container and file of the job in a
`finally`, whatever happened. Host code never reads a file the candidate could have written:
the candidate's mounts are all read-only and results arrive on the checker's stdout.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docker
import docker.errors
from docker.models.containers import Container

from graders import jobspec
from graders.jobspec import JobSpec
from graders.package import Exercise
from sandbox.config import SandboxConfig
from sandbox.containers import (
    CANDIDATE_UID,
    CHECKER_UID,
    LABEL_JOB,
    REFERENCE_UID,
    Bind,
    ContainerSpec,
    docker_arguments,
)

EventCallback = Callable[[dict[str, Any]], None]
JOB_ID_PATTERN = re.compile(r"[0-9a-f]{16}")


def new_job_id() -> str:
    """A fresh id for a job: it labels the job's containers and names its folder."""
    return uuid.uuid4().hex[:16]


@dataclass
class JobOutcome:
    """What the host observed; `sandbox.outcome.report_from_outcome` turns it into a Report."""

    job_id: str = ""
    seed: int = 0  # of the inputs the job's tests generate (speed rounds): fresh for every job
    done: dict[str, Any] | None = None
    collected: list[dict[str, Any]] = field(default_factory=list)
    finished: list[dict[str, Any]] = field(default_factory=list)
    wall_time_exceeded: bool = False
    checker_exit_code: int | None = None
    checker_stderr: str = ""
    output_truncated: bool = False
    peak_memory_bytes: dict[str, int | None] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None


class GradingJob:
    """One run of one suite against one source file. Use `run()` once."""

    def __init__(
        self,
        client: docker.DockerClient,
        config: SandboxConfig,
        *,
        image: str,
        exercise: Exercise,
        source: bytes,
        suite: str,
        on_event: EventCallback | None = None,
        job_id: str | None = None,
    ) -> None:
        self.client = client
        self.config = config
        self.image = image
        self.exercise = exercise
        self.source = source
        self.suite = suite
        self.on_event = on_event
        self.job_id = job_id or new_job_id()
        if not JOB_ID_PATTERN.fullmatch(self.job_id):  # it names a folder and a label
            raise ValueError(f"bad job id {self.job_id!r}")
        self.job_dir = config.jobs_dir / self.job_id
        self.containers: dict[str, Container] = {}
        # Fresh generated inputs for every job: answers memorized from one run are of no use in
        # the next.
        self.outcome = JobOutcome(job_id=self.job_id, seed=secrets.randbits(63))
        self.closed = False  # set once the report is being built: late events are ignored
        self.started = time.monotonic()
        self.created_at = datetime.now(UTC).isoformat()

    def mark(self, name: str) -> None:
        self.outcome.timings[name] = time.monotonic() - self.started

    # -- the job -------------------------------------------------------------------------------

    def run(self) -> JobOutcome:
        try:
            self.prepare_files()
            self.create_containers()
            self.mark("created_s")
            for role in ("checker", "reference", "candidate"):
                self.containers[role].start()
            self.mark("started_s")
            self.follow_checker()
            self.collect_facts()
        except (docker.errors.DockerException, OSError) as exc:
            self.outcome.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.cleanup()
            self.mark("total_s")
        return self.outcome

    def prepare_files(self) -> None:
        self.config.jobs_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.config.jobs_dir, 0o700)
        self.job_dir.mkdir(mode=0o700)
        (self.job_dir / "candidate").mkdir()
        # O_EXCL | O_NOFOLLOW: a fresh file in a fresh directory, never through a planted link.
        fd = os.open(
            self.job_dir / "candidate" / "solution.py",
            os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
            0o444,
        )
        with os.fdopen(fd, "wb") as f:
            f.write(self.source)
        for side in ("candidate-socket", "reference-socket"):
            path = self.job_dir / side
            path.mkdir()
            # The checker (own uid) creates the socket here; the worker side mounts it read-only.
            os.chmod(path, 0o777)

    def create_containers(self) -> None:
        job_dir = self.job_dir
        specs = [
            self.checker_spec(),
            # The candidate's file and the reference's get the same container, limits and
            # command: only the module, the uid and the banned imports differ.
            self.worker_spec("candidate", CANDIDATE_UID, job_dir / "candidate" / "solution.py"),
            self.worker_spec("reference", REFERENCE_UID, self.exercise.solution_path),
        ]
        for spec in specs:
            self.containers[spec.role] = self.client.containers.create(**docker_arguments(spec))

    def common(self) -> dict[str, Any]:
        return {
            "job_id": self.job_id,
            "image": self.image,
            "runtime": self.config.runtime,
            "created_at": self.created_at,
        }

    def support_binds(self) -> list[Bind]:
        support = self.exercise.support_path
        return [Bind(str(support), "/exercise/support")] if support.is_dir() else []

    def checker_spec(self) -> ContainerSpec:
        spec = JobSpec.for_exercise(self.exercise, self.suite, seed=self.outcome.seed)
        sockets = [
            Bind(str(self.job_dir / f"{side}-socket"), os.path.dirname(path), read_only=False)
            for side, path in (
                ("candidate", jobspec.CANDIDATE_SOCKET),
                ("reference", jobspec.REFERENCE_SOCKET),
            )
        ]
        return ContainerSpec(
            role="checker",
            uid=CHECKER_UID,
            command=["python", "-I", "-m", "graders.checker", "--spec", spec.to_json()],
            memory_mb=self.config.checker_memory_mb,
            pids=self.config.checker_pids,
            cpus=1.0,
            cpuset=self.config.checker_cpuset,
            tmpfs_mb=256,
            log_kb=self.config.checker_output_kb,
            binds=[
                Bind(str(self.exercise.path / "tests"), "/exercise/tests"),
                *self.support_binds(),
                Bind(str(self.job_dir / "candidate" / "solution.py"), jobspec.CANDIDATE_SOURCE),
                *sockets,
            ],
            environment={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
            **self.common(),
        )

    def worker_spec(self, role: str, uid: int, module: Path) -> ContainerSpec:
        ex = self.exercise
        banned = ex.banned_imports if role == "candidate" else ()
        command = [
            "python", "-I", "-m", "graders.runner", "--socket", jobspec.WORKER_SOCKET,
            "--module", "/candidate/solution.py", "--support", "/exercise/support",
            "--preload", ",".join(ex.preload), "--banned", ",".join(banned),
            "--output-limit", str(ex.limits.output_kb * 1024),
        ]  # fmt: skip
        return ContainerSpec(
            role=role,
            uid=uid,
            command=command,
            memory_mb=ex.limits.memory_mb,
            pids=ex.limits.pids,
            cpus=ex.limits.cpus,
            cpuset=self.config.worker_cpuset,
            tmpfs_mb=ex.limits.tmpfs_mb,
            log_kb=256,
            init=False,
            binds=[
                Bind(str(module), "/candidate/solution.py"),
                *self.support_binds(),
                Bind(str(self.job_dir / f"{role}-socket"), os.path.dirname(jobspec.WORKER_SOCKET)),
            ],
            **self.common(),
        )

    def follow_checker(self) -> None:
        """Read the checker's events until it exits or the wall-clock limit passes."""
        checker = self.containers["checker"]
        reader = threading.Thread(target=self.read_events, args=(checker,), daemon=True)
        reader.start()
        deadline_s = self.exercise.limits.wall_time_s + self.config.startup_slack_s
        reader.join(timeout=deadline_s)
        if reader.is_alive():
            self.outcome.wall_time_exceeded = True
            with contextlib.suppress(docker.errors.DockerException):
                checker.kill()
            reader.join(timeout=10)
        self.closed = True  # a reader still stuck in the engine must not change the outcome now
        self.mark("checker_done_s")
        with contextlib.suppress(docker.errors.DockerException):
            result = checker.wait(timeout=10)
            self.outcome.checker_exit_code = int(result.get("StatusCode", -1))
        with contextlib.suppress(docker.errors.DockerException):
            stderr = checker.logs(stdout=False, stderr=True, tail=60)
            self.outcome.checker_stderr = stderr.decode("utf-8", "replace")[-6000:]

    def read_events(self, checker: Container) -> None:
        limit = self.config.checker_output_kb * 1024
        received = 0
        pending = b""
        try:
            for chunk in checker.logs(stdout=True, stderr=False, stream=True, follow=True):
                received += len(chunk)
                if received > limit:
                    self.outcome.output_truncated = True
                    with contextlib.suppress(docker.errors.DockerException):
                        checker.kill()
                    return
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    self.handle_event(line)
        except docker.errors.DockerException as exc:
            self.outcome.error = self.outcome.error or f"lost the checker's output: {exc}"

    def handle_event(self, line: bytes) -> None:
        if self.closed:
            return
        try:
            event = json.loads(line)
        except ValueError:
            return
        if not isinstance(event, dict):
            return
        kind = event.get("event")
        if kind == "listening":
            self.mark("checker_ready_s")
        elif kind == "collected":
            self.mark("collected_s")
            self.outcome.collected = list(event.get("tests", []))
        elif kind == "test_finished":
            self.outcome.finished.append(event.get("result", {}))
        elif kind == "done":
            self.mark("tests_done_s")
            self.outcome.done = event
        if self.on_event is not None:
            with contextlib.suppress(Exception):  # a progress display must not break grading
                self.on_event(event)

    def collect_facts(self) -> None:
        """Trusted facts, from the kernel or the engine, not the candidate: peak memory."""
        for role in ("candidate", "reference"):
            container = self.containers.get(role)
            if container is not None and container.id:
                self.outcome.peak_memory_bytes[role] = peak_memory_bytes(container)

    def cleanup(self) -> None:
        """Remove every container of this job (by label, so half-created ones too) and its files."""
        started = time.monotonic()
        found = list(self.containers.values())
        with contextlib.suppress(docker.errors.DockerException):
            found += self.client.containers.list(
                all=True, filters={"label": f"{LABEL_JOB}={self.job_id}"}
            )
        seen: set[str | None] = set()
        for container in found:
            if container.id in seen:
                continue
            seen.add(container.id)
            with contextlib.suppress(docker.errors.NotFound):
                try:
                    container.remove(force=True)
                except docker.errors.APIError as exc:
                    self.outcome.error = (
                        self.outcome.error or f"could not remove a container: {exc}"
                    )
        # shutil.rmtree does not follow symlinks (fd-based on Linux); only the checker wrote here.
        shutil.rmtree(self.job_dir, ignore_errors=True)
        self.outcome.timings["cleanup_s"] = time.monotonic() - started


def peak_memory_bytes(container: Container) -> int | None:
    """The container's peak memory: its cgroup file on this host (fast), else the stats API."""
    cid = container.id
    for path in (
        f"/sys/fs/cgroup/memory/docker/{cid}/memory.max_usage_in_bytes",  # v1, cgroupfs driver
        f"/sys/fs/cgroup/memory/system.slice/docker-{cid}.scope/memory.max_usage_in_bytes",
        f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/memory.peak",  # v2, kernel >= 5.19
        f"/sys/fs/cgroup/docker/{cid}/memory.peak",
    ):
        with contextlib.suppress(OSError, ValueError):
            return int(Path(path).read_text()) or None
    # The engine is remote or the cgroup is gone: one stats sample (slow, ~0.5 s; v1 only).
    with contextlib.suppress(docker.errors.DockerException, KeyError, TypeError, ValueError):
        stats: dict[str, Any] = container.stats(stream=False, one_shot=True)  # type: ignore[assignment]
        return int(stats["memory_stats"]["max_usage"]) or None
    return None
