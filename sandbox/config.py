"""Sandbox settings, read from environment variables (listed in deploy/.env.example).

Django-free on purpose: the same settings drive the `grade` command, Celery workers and tests.
A bad value raises `sandbox.env.EnvError` naming the variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.env import EnvError, env_int, env_str

REPO_ROOT = Path(__file__).resolve().parent.parent


def _env_cpuset(name: str, default: str) -> str:
    value = env_str(name, default)
    if not value or set(value) - set("0123456789,-"):
        raise EnvError(f"{name} must be a cpuset such as '1' or '0-3,6', got {value!r}")
    return value


def _default_cpusets() -> tuple[str, str]:
    """(checker, workers): the checker on the first core, workers on the last one.

    The candidate and reference workers share their cores so they are timed on the same
    hardware. They do not compete: the checker makes one call at a time, and the candidate's
    processes (background ones included) are frozen while any reference call runs.
    """
    cores = sorted(os.sched_getaffinity(0))
    return str(cores[0]), str(cores[-1])


@dataclass(frozen=True)
class SandboxConfig:
    image: str | None = None  # None: the content-hash tag of this tree (sandbox.image)
    jobs_dir: Path = field(default_factory=lambda: REPO_ROOT / "var" / "jobs")
    runtime: str = "runc"  # e.g. "runsc" for gVisor where the operator installed it
    checker_cpuset: str = "0"
    worker_cpuset: str = "0"
    checker_memory_mb: int = 2048
    checker_pids: int = 256
    checker_output_kb: int = 16 * 1024
    startup_slack_s: float = 60.0  # container start and imports, on top of the exercise's wall time
    # The warm pool (sandbox.pool): at most this many ready sets, within this memory; 0 = no pool
    # (jobs never look for a ready set; a keeper refuses to start).
    pool_size: int = 2
    pool_memory_mb: int = 4096
    pool_dir: Path = field(default_factory=lambda: REPO_ROOT / "var" / "pool")

    @classmethod
    def from_env(cls) -> SandboxConfig:
        checker_default, worker_default = _default_cpusets()
        jobs_dir = Path(env_str("TJ_SANDBOX_JOBS_DIR", str(REPO_ROOT / "var" / "jobs")))
        return cls(
            image=os.environ.get("TJ_SANDBOX_IMAGE") or None,
            jobs_dir=jobs_dir,
            runtime=env_str("TJ_SANDBOX_RUNTIME", "runc"),
            checker_cpuset=_env_cpuset("TJ_SANDBOX_CHECKER_CPUS", checker_default),
            worker_cpuset=_env_cpuset("TJ_SANDBOX_WORKER_CPUS", worker_default),
            checker_memory_mb=env_int("TJ_SANDBOX_CHECKER_MEMORY_MB", 2048, low=256, high=262144),
            pool_size=env_int("TJ_POOL_SIZE", 2, low=0, high=64),
            pool_memory_mb=env_int("TJ_POOL_MEMORY_MB", 4096, low=256, high=1048576),
            # Beside the jobs' folder: every grading process of the host shares it.
            pool_dir=Path(env_str("TJ_POOL_DIR", str(jobs_dir.parent / "pool"))),
        )
