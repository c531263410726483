"""A sandbox set: the three containers of one grading job, started before the job is known.

    profile = Profile.for_exercise(exercise, config, image)
    box = SandboxSet(client, config, profile)
    box.create(); box.start(); box.wait_ready(60)    # cold: now; warm: ahead of need (sandbox.pool)
    box.load(exercise, source)                        # the job's files into the set's folder
    box.go({"checker": [...], "candidate": [...], "reference": [...]})
    ...
    box.destroy()                                     # after one job, always

Everything fixed when a container is created (image, limits, preloaded frameworks, mounts) is in
the `Profile`, so a set made for one exercise serves any exercise with the same profile. What is
particular to the job (the candidate's file, the exercise's tests, support and reference) goes
into the set's folder, which the containers see through read-only bind mounts, just before the go.
Each container runs `graders.warm`, which imports the frameworks and then waits on its own FIFO.

Folder of a set (config.jobs_dir/<set id>), and where each container sees it:
    candidate/solution.py      checker + candidate: /candidate
    reference/solution.py      reference: /candidate
    exercise/tests             checker: /exercise/tests
    exercise/support           all three: /exercise/support
    candidate-socket/          checker: /run/tj/candidate (rw); candidate: /run/tj (ro)
    reference-socket/          checker: /run/tj/reference (rw); reference: /run/tj (ro)
    control/<role>/go          that role only: /run/tj-control (ro); FIFO, written by the host
"""

from __future__ import annotations

import ast
import contextlib
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import stat
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docker
import docker.errors
from docker.models.containers import Container

from graders import jobspec
from graders.package import PRELOADABLE, Exercise
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

ROLES = ("checker", "candidate", "reference")
REFERENCE_WORDS = re.compile(r"\b(reference|speed|getfixturevalue)\b")
WORKER_ROLES = ("candidate", "reference")
CONTROL_TARGET = "/run/tj-control"
GO_TIMEOUT_S = 5.0
WARMING_CPU_SHARES = 2  # the kernel's minimum weight; a job's containers get the default 1024
JOB_CPU_SHARES = 1024  # a ready container answers the go within milliseconds


def new_set_id() -> str:
    """A fresh id: it labels the set's containers, names its folder, and is its job's id."""
    return uuid.uuid4().hex[:16]


class SetFailed(RuntimeError):
    """A set could not be made ready or given its job (an infrastructure fault)."""


@dataclass(frozen=True)
class Profile:
    """What a set is made for: everything fixed at container creation."""

    image: str
    runtime: str
    preload: tuple[str, ...]  # the workers'
    checker_preload: tuple[str, ...]  # the test modules' own framework imports
    memory_mb: int
    cpus: float
    pids: int
    tmpfs_mb: int
    threads: int
    checker_memory_mb: int
    checker_pids: int
    checker_output_kb: int
    checker_cpuset: str
    worker_cpuset: str
    reference: bool = True  # whether the suite uses the reference (else no reference container)

    @classmethod
    def for_exercise(
        cls, exercise: Exercise, config: SandboxConfig, image: str, suite: str = "hidden"
    ) -> Profile:
        limits = exercise.limits
        return cls(
            image=image,
            runtime=config.runtime,
            preload=tuple(exercise.preload),
            checker_preload=tuple(
                sorted(set(exercise.preload) | tests_frameworks(exercise, suite))
            ),
            memory_mb=limits.memory_mb,
            cpus=limits.cpus,
            pids=limits.pids,
            tmpfs_mb=limits.tmpfs_mb,
            threads=exercise.threads,
            checker_memory_mb=config.checker_memory_mb,
            checker_pids=config.checker_pids,
            checker_output_kb=config.checker_output_kb,
            checker_cpuset=config.checker_cpuset,
            worker_cpuset=config.worker_cpuset,
            reference=uses_reference(exercise, suite),
        )

    @property
    def roles(self) -> tuple[str, ...]:
        return ROLES if self.reference else ("checker", "candidate")

    @property
    def key(self) -> str:
        """A short stable name: profiles with equal keys make interchangeable sets."""
        return hashlib.sha256(self.to_json().encode()).hexdigest()[:16]

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Profile:
        data: dict[str, Any] = json.loads(text)
        for name in ("preload", "checker_preload"):
            data[name] = tuple(data[name])
        return cls(**data)


def suite_modules(exercise: Exercise, suite: str) -> list[Path]:
    """The suite's test modules and the shared ones beside it (tests/*.py)."""
    tests = exercise.path / "tests"
    return sorted([*tests.glob("*.py"), *(tests / suite).rglob("*.py")])


def uses_reference(exercise: Exercise, suite: str) -> bool:
    """Whether the suite may call the reference (its `reference` or `speed` fixtures). Erring
    towards yes: a word match anywhere in the modules counts (a set without the reference
    container would leave such a test waiting for it)."""
    for path in suite_modules(exercise, suite):
        try:
            if REFERENCE_WORDS.search(path.read_text(errors="replace")):
                return True
        except OSError:
            return True
    return False


def tests_frameworks(exercise: Exercise, suite: str) -> set[str]:
    """The preloadable frameworks the suite's test modules import (found without running them,
    in tests/<suite>/ and the shared modules beside it): the checker imports them before its
    job, so collecting the tests costs little."""
    found: set[str] = set()
    for path in suite_modules(exercise, suite):
        with contextlib.suppress(OSError, SyntaxError, ValueError):
            for node in ast.walk(ast.parse(path.read_bytes())):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return found & set(PRELOADABLE)


class SandboxSet:
    """Three containers and their folder, for exactly one job."""

    def __init__(
        self, client: docker.DockerClient, config: SandboxConfig, profile: Profile, set_id: str
    ) -> None:
        self.client = client
        self.config = config
        self.profile = profile
        self.id = set_id
        self.dir = config.jobs_dir / set_id
        self.containers: dict[str, Container] = {}
        self.created_at = datetime.now(UTC).isoformat()
        self.ready_at: float | None = None  # time.monotonic() when all three were waiting

    # -- before the job ------------------------------------------------------------------------

    def create(self, *, ahead: bool = False) -> None:
        """The folder, the FIFOs and the three containers (not started). A set made `ahead` of
        need (the pool's) warms up only on CPU time that running jobs leave idle."""
        self.config.jobs_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.config.jobs_dir, 0o700)
        self.dir.mkdir(mode=0o700)
        for sub in ("candidate", "reference", "exercise", "exercise/tests", "exercise/support"):
            (self.dir / sub).mkdir(mode=0o755)
        for side in WORKER_ROLES:  # both: the checker listens on both, used or not
            path = self.dir / f"{side}-socket"
            path.mkdir()
            # The checker (own uid) creates the socket here; the worker side mounts it read-only.
            os.chmod(path, 0o777)
        for role in self.profile.roles:
            control = self.dir / "control" / role
            control.mkdir(parents=True, mode=0o755)
            os.chmod(self.dir / "control", 0o755)
            os.mkfifo(control / "go", 0o644)  # readable by the role's uid, writable by us only
            os.chmod(control / "go", 0o644)
        workers = [r for r in WORKER_ROLES if r in self.profile.roles]
        for spec in (self.checker_spec(), *(self.worker_spec(r) for r in workers)):
            arguments = docker_arguments(spec)
            arguments["name"] = f"tj-{self.id}-{spec.role}"
            # `go` restores the default share.
            arguments["cpu_shares"] = WARMING_CPU_SHARES if ahead else JOB_CPU_SHARES
            self.containers[spec.role] = self.client.containers.create(**arguments)

    def start(self) -> None:
        # In parallel: each start waits mostly on the runtime, not on this process.
        with ThreadPoolExecutor(len(self.containers)) as starting:
            for done in [starting.submit(c.start) for c in self.containers.values()]:
                done.result()

    def probe_ready(self) -> bool:
        """Whether every container waits on its go FIFO (imports done)."""
        for role in self.profile.roles:
            try:
                fd = os.open(self.go_path(role), os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:
                if exc.errno == errno.ENXIO:  # nobody reading yet
                    return False
                raise
            # Closing without writing wakes the reader with nothing; graders.warm waits again.
            os.close(fd)
        if self.ready_at is None:
            self.ready_at = time.monotonic()
        return True

    def exited(self) -> str | None:
        """The role of a container that is no longer running, if any (one API call per role)."""
        for role, container in self.containers.items():
            with contextlib.suppress(docker.errors.NotFound):
                container.reload()
                if container.status != "running":
                    return role
                continue
            return role
        return None

    def wait_ready(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        next_check = time.monotonic() + 1.0
        while not self.probe_ready():
            now = time.monotonic()
            if now > deadline:
                raise SetFailed(f"the sandbox containers were not ready after {timeout_s:.0f} s")
            if now > next_check:  # a container that died while importing never gets ready
                next_check = now + 1.0
                role = self.exited()
                if role is not None:
                    raise SetFailed(f"the {role} container exited before its job started")
            time.sleep(0.01)

    # -- the job -------------------------------------------------------------------------------

    def load(self, exercise: Exercise, source: bytes) -> None:
        """The job's files: the candidate's source, the reference, the tests and support."""
        _write_new(self.dir / "candidate" / "solution.py", source)
        _write_new(self.dir / "reference" / "solution.py", exercise.solution_path.read_bytes())
        _copy_tree(exercise.path / "tests", self.dir / "exercise" / "tests")
        if exercise.support_path.is_dir():
            _copy_tree(exercise.support_path, self.dir / "exercise" / "support")

    def go(self, argv: dict[str, list[str]]) -> None:
        """Start the job: each role's argv goes down its FIFO (workers are pinned first)."""

        def update(role: str) -> None:
            change: dict[str, Any] = {"cpu_shares": JOB_CPU_SHARES}
            if role in WORKER_ROLES:  # they imported on the checker's cores (see worker_spec)
                change["cpuset_cpus"] = self.profile.worker_cpuset
            self.containers[role].update(**change)

        with ThreadPoolExecutor(len(self.containers)) as updating:
            list(updating.map(update, self.containers))
        for role in ("checker", "reference", "candidate"):
            if role not in self.containers:
                continue
            message = json.dumps({"argv": argv[role]}).encode()
            deadline = time.monotonic() + GO_TIMEOUT_S
            while True:
                try:
                    fd = os.open(self.go_path(role), os.O_WRONLY | os.O_NONBLOCK)
                    break
                except OSError as exc:
                    # ENXIO: the reader is between the probe's empty wake-up and its next wait.
                    if exc.errno != errno.ENXIO or time.monotonic() > deadline:
                        raise SetFailed(
                            f"the {role} container did not take its job: {exc}"
                        ) from exc
                    time.sleep(0.002)
            try:
                # Gone before the job starts: the candidate's code never finds a FIFO to block on.
                os.unlink(self.go_path(role))
                fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
                with os.fdopen(fd, "wb", closefd=False) as pipe:
                    pipe.write(message)
            finally:
                os.close(fd)

    def destroy(self) -> str | None:
        """Remove the containers (by label too, so half-created ones) and the folder; return an
        error message if a container could not be removed."""
        error = None
        found = list(self.containers.values())
        with contextlib.suppress(docker.errors.DockerException):
            found += self.client.containers.list(
                all=True, filters={"label": f"{LABEL_JOB}={self.id}"}
            )
        unique = {container.id: container for container in found}

        def remove(container: Container) -> str | None:
            with contextlib.suppress(docker.errors.NotFound):
                try:
                    container.remove(force=True)
                except docker.errors.APIError as exc:
                    return f"could not remove a container: {exc}"
            return None

        with ThreadPoolExecutor(max(1, len(unique))) as removing:
            for problem in removing.map(remove, unique.values()):
                error = error or problem
        # shutil.rmtree does not follow symlinks (fd-based on Linux); only the checker wrote here.
        shutil.rmtree(self.dir, ignore_errors=True)
        return error

    def memory_bytes(self) -> int:
        """What the set's containers use now (0 where the kernel does not say)."""
        return sum(memory_usage_bytes(c) or 0 for c in self.containers.values())

    # -- container specs -----------------------------------------------------------------------

    def go_path(self, role: str) -> Path:
        return self.dir / "control" / role / "go"

    def common(self, role: str) -> dict[str, Any]:
        return {
            "job_id": self.id,
            "image": self.profile.image,
            "runtime": self.profile.runtime,
            "created_at": self.created_at,
            "role": role,
        }

    def control_bind(self, role: str) -> Bind:
        return Bind(str(self.dir / "control" / role), CONTROL_TARGET)

    def checker_spec(self) -> ContainerSpec:
        p = self.profile
        sockets = [
            Bind(str(self.dir / f"{side}-socket"), os.path.dirname(path), read_only=False)
            for side, path in (
                ("candidate", jobspec.CANDIDATE_SOCKET),
                ("reference", jobspec.REFERENCE_SOCKET),
            )
        ]
        return ContainerSpec(
            uid=CHECKER_UID,
            command=warm_command("checker", p.checker_preload),
            memory_mb=p.checker_memory_mb,
            pids=p.checker_pids,
            cpus=1.0,
            cpuset=p.checker_cpuset,
            tmpfs_mb=256,
            log_kb=p.checker_output_kb,
            binds=[
                Bind(str(self.dir / "exercise" / "tests"), jobspec.CHECKER_TESTS_DIR),
                Bind(str(self.dir / "exercise" / "support"), jobspec.CHECKER_SUPPORT_DIR),
                Bind(str(self.dir / "candidate"), os.path.dirname(jobspec.CANDIDATE_SOURCE)),
                *sockets,
                self.control_bind("checker"),
            ],
            environment={"PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"},
            **self.common("checker"),
        )

    def worker_spec(self, role: str) -> ContainerSpec:
        p = self.profile
        module_dir = self.dir / ("candidate" if role == "candidate" else "reference")
        return ContainerSpec(
            uid=CANDIDATE_UID if role == "candidate" else REFERENCE_UID,
            command=warm_command("worker", p.preload),
            memory_mb=p.memory_mb,
            pids=p.pids,
            cpus=p.cpus,
            # Imports run on the checker's cores; `go` moves the worker to its own cores, so a
            # set warming up never disturbs a job being timed there.
            cpuset=p.checker_cpuset,
            tmpfs_mb=p.tmpfs_mb,
            threads=p.threads,
            log_kb=256,
            init=False,
            binds=[
                Bind(str(module_dir), "/candidate"),
                Bind(str(self.dir / "exercise" / "support"), "/exercise/support"),
                Bind(str(self.dir / f"{role}-socket"), os.path.dirname(jobspec.WORKER_SOCKET)),
                self.control_bind(role),
            ],
            **self.common(role),
        )


def warm_command(role: str, preload: tuple[str, ...]) -> list[str]:
    return [
        "python", "-I", "-m", "graders.warm", role,
        "--preload", ",".join(preload), "--go", f"{CONTROL_TARGET}/go",
    ]  # fmt: skip


def _write_new(path: Path, data: bytes) -> None:
    # O_EXCL | O_NOFOLLOW: a fresh file in a fresh directory, never through a planted link.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o444)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _copy_tree(source: Path, target: Path) -> None:
    """Copy into an existing empty folder, readable by the containers' uids."""
    shutil.copytree(source, target, dirs_exist_ok=True, symlinks=False)
    for folder, dirs, files in os.walk(target):
        for name in dirs:
            os.chmod(os.path.join(folder, name), 0o755)
        for name in files:
            path = os.path.join(folder, name)
            os.chmod(path, stat.S_IMODE(os.lstat(path).st_mode) & 0o555 | 0o444)


def memory_usage_bytes(container: Container) -> int | None:
    """The container's memory use now, from its cgroup on this host (None if not found)."""
    cid = container.id
    for path in (
        f"/sys/fs/cgroup/memory/docker/{cid}/memory.usage_in_bytes",  # v1, cgroupfs driver
        f"/sys/fs/cgroup/memory/system.slice/docker-{cid}.scope/memory.usage_in_bytes",
        f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/memory.current",  # v2
        f"/sys/fs/cgroup/docker/{cid}/memory.current",
    ):
        with contextlib.suppress(OSError, ValueError):
            return int(Path(path).read_text())
    return None


def cpu_seconds(container: Container) -> float | None:
    """CPU time the container's processes used so far, from its cgroup (None if not found)."""
    cid = container.id
    for path, scale in (
        (f"/sys/fs/cgroup/cpuacct/docker/{cid}/cpuacct.usage", 1e-9),  # v1, nanoseconds
        (f"/sys/fs/cgroup/cpu,cpuacct/docker/{cid}/cpuacct.usage", 1e-9),
        (f"/sys/fs/cgroup/cpuacct/system.slice/docker-{cid}.scope/cpuacct.usage", 1e-9),
    ):
        with contextlib.suppress(OSError, ValueError):
            return int(Path(path).read_text()) * scale
    for path in (  # v2: "usage_usec N" in cpu.stat
        f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/cpu.stat",
        f"/sys/fs/cgroup/docker/{cid}/cpu.stat",
    ):
        with contextlib.suppress(OSError, ValueError, IndexError):
            line = Path(path).read_text().split("\n", 1)[0]
            return int(line.split()[1]) * 1e-6
    return None
