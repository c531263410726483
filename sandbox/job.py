"""Run one grading job in Docker: three containers, one event stream, nothing left behind.

The job takes a ready set of containers from the warm pool (`sandbox.pool`) or, when none is
ready, makes one the same way (`sandbox.sets`); writes the candidate's file and the exercise's
files into the set's folder; sends each container its part of the job; reads the checker's
JSON-lines events (the only channel it trusts); enforces the job's wall-clock limit; and removes
every container and file of the set in a `finally`, whatever happened. Host code never reads a
file the candidate could have written: the candidate's mounts are all read-only and results
arrive on the checker's stdout.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import threading
import time
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
from sandbox import pool
from sandbox.config import SandboxConfig
from sandbox.sets import Profile, SandboxSet, SetFailed, cpu_seconds, new_set_id

EventCallback = Callable[[dict[str, Any]], None]
JOB_ID_PATTERN = re.compile(r"[0-9a-f]{16}")


def new_job_id() -> str:
    """A fresh id for a job: it labels the job's containers and names its folder."""
    return new_set_id()


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
        self.job_id_given = job_id is not None  # else a warm set's id becomes the job's
        if not JOB_ID_PATTERN.fullmatch(self.job_id):  # it names a folder and a label
            raise ValueError(f"bad job id {self.job_id!r}")
        self.profile = Profile.for_exercise(exercise, config, image, suite)
        self.box: SandboxSet | None = None
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
            self.box = self.acquire()
            try:
                self.start_job()
            except (docker.errors.DockerException, OSError, SetFailed):
                if not self.outcome.timings.get("warm_set"):
                    raise
                # A warm set that died while it waited (its engine restarted, a container
                # killed): it never ran anything of this job, so the job starts over cold.
                self.cleanup()
                self.box = self.acquire(cold=True)
                self.start_job()
            self.mark("started_s")
            self.follow_checker()
            self.collect_facts()
        except (docker.errors.DockerException, OSError, SetFailed) as exc:
            self.outcome.error = f"{type(exc).__name__}: {exc}"
        finally:
            self.cleanup()
            self.mark("total_s")
        return self.outcome

    def start_job(self) -> None:
        assert self.box is not None
        self.containers = self.box.containers
        self.box.load(self.exercise, self.source)
        self.box.go(self.job_argv())

    def acquire(self, *, cold: bool = False) -> SandboxSet:
        """A ready set: a warm one from the pool, else one made now under the job's own id."""
        set_id = (
            None
            if cold
            else pool.take(self.config, self.profile, self.job_id if self.job_id_given else None)
        )
        if set_id is not None:
            box = SandboxSet(self.client, self.config, self.profile, set_id)
            self.box = box  # cleanup removes it whatever happens next
            if not self.job_id_given:  # one id for the job, its containers and its folder
                self.job_id = self.outcome.job_id = set_id
            for role in self.profile.roles:
                box.containers[role] = self.client.containers.get(f"tj-{set_id}-{role}")
            self.outcome.timings["warm_set"] = 1.0
            self.mark("created_s")
            return box
        if cold and not self.job_id_given:
            self.job_id = self.outcome.job_id = new_job_id()
        box = SandboxSet(self.client, self.config, self.profile, self.job_id)
        self.box = box
        self.outcome.timings["warm_set"] = 0.0
        box.create()
        self.mark("created_s")
        box.start()
        box.wait_ready(self.config.startup_slack_s)
        self.mark("ready_s")
        return box

    def job_argv(self) -> dict[str, list[str]]:
        """What each container runs once its imports are done (see graders.warm)."""
        spec = JobSpec.for_exercise(self.exercise, self.suite, seed=self.outcome.seed)
        argv = {"checker": ["--spec", spec.to_json()]}
        ex = self.exercise
        for role in ("candidate", "reference"):
            # Same command for both: only the module, the uid and the banned imports differ.
            banned = ex.banned_imports if role == "candidate" else ()
            argv[role] = [
                "--socket", jobspec.WORKER_SOCKET,
                "--module", "/candidate/solution.py", "--support", "/exercise/support",
                "--preload", ",".join(ex.preload), "--banned", ",".join(banned),
                "--output-limit", str(ex.limits.output_kb * 1024),
            ]  # fmt: skip
        return argv

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
        """Trusted facts, from the kernel or the engine, not the candidate: peak memory, and the
        CPU time each container used (warm-up included) for the benchmarks."""
        for role, container in self.containers.items():
            if not container.id:
                continue
            if role != "checker":
                self.outcome.peak_memory_bytes[role] = peak_memory_bytes(container)
            cpu_s = cpu_seconds(container)
            if cpu_s is not None:
                self.outcome.timings[f"cpu_{role}_s"] = cpu_s

    def cleanup(self) -> None:
        """Remove every container of this job's set (by label, so half-created ones too) and its
        files; then the pool forgets the set."""
        started = time.monotonic()
        if self.box is not None:
            error = self.box.destroy()
            self.outcome.error = self.outcome.error or error
            pool.release_claim(self.config, self.box.id)
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
