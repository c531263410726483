"""How every sandbox container is created: one hardened template, three roles.

    checker     trusted: pytest + hidden tests; talks to the workers over two unix sockets
    candidate   untrusted: the candidate's module, under the exercise's limits
    reference   the reference solution, under exactly the candidate's limits (fair timing)

All three: no network, read-only root, a small tmpfs, a non-root uid of their own, every
capability dropped, no-new-privileges, memory == memory+swap, a pids limit, a CPU quota and
cpuset, a capped log, an init that reaps zombies, and labels so leftovers can be found and reaped.
Never privileged, never the Docker socket. The arguments are built here and only here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import docker.types

from sandbox import seccomp

LABEL_JOB = "org.tensorjudge.job"
LABEL_ROLE = "org.tensorjudge.role"
LABEL_CREATED = "org.tensorjudge.created"
CHECKER_UID = 10000
CANDIDATE_UID = 10001
REFERENCE_UID = 10002
# BLAS/OpenMP pool sizes, from ContainerSpec.threads (1 unless the exercise asks for more): timed
# calls compare single-threaded code, and a pool larger than the pids limit breaks imports.
THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


@dataclass(frozen=True)
class Bind:
    source: str
    target: str
    read_only: bool = True


@dataclass(frozen=True)
class ContainerSpec:
    """Everything that differs between roles; `docker_arguments` adds what never differs."""

    role: str
    job_id: str
    image: str
    command: list[str]
    uid: int
    memory_mb: int
    pids: int
    cpus: float
    cpuset: str
    tmpfs_mb: int
    log_kb: int
    runtime: str
    binds: list[Bind] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict)
    created_at: str = ""
    # docker-init as PID 1 (reaps zombies). Worker containers run their supervisor as PID 1
    # instead: the kernel then shields it from the candidate's signals (even SIGKILL), and the
    # candidate cannot reach PID 1's stdout through /proc/1/fd to write past the output limit.
    init: bool = True
    threads: int = 1  # BLAS/OpenMP threads (THREAD_VARIABLES); the exercise's runtime.threads


def docker_arguments(spec: ContainerSpec) -> dict[str, Any]:
    """Keyword arguments for `client.containers.create` (docker SDK) for one role."""
    memory = f"{spec.memory_mb}m"
    threads = str(max(1, spec.threads))
    environment = {
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        **{name: threads for name in THREAD_VARIABLES},
        **spec.environment,
    }
    tmpfs_bytes = spec.tmpfs_mb * 1024 * 1024
    return {
        "image": spec.image,
        "command": spec.command,
        "user": f"{spec.uid}:{spec.uid}",
        "environment": environment,
        "working_dir": "/tmp",
        "hostname": "sandbox",
        "network_mode": "none",
        "read_only": True,
        # nr_inodes: millions of empty files would exhaust memory before the size limit.
        "tmpfs": {"/tmp": f"rw,nosuid,nodev,noexec,size={spec.tmpfs_mb}m,nr_inodes=4096,mode=1777"},
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges:true", *seccomp.security_option()],
        "privileged": False,
        "mem_limit": memory,
        "memswap_limit": memory,  # equal: no swap
        "pids_limit": spec.pids,
        "nano_cpus": int(spec.cpus * 1e9),
        "cpuset_cpus": spec.cpuset,
        "ipc_mode": "private",
        "shm_size": "16m",
        "init": spec.init,
        "stdin_open": False,
        "tty": False,
        "runtime": spec.runtime,
        "ulimits": [
            docker.types.Ulimit(name="core", soft=0, hard=0),
            docker.types.Ulimit(name="nofile", soft=1024, hard=1024),
            docker.types.Ulimit(name="fsize", soft=tmpfs_bytes, hard=tmpfs_bytes),
        ],
        "log_config": docker.types.LogConfig(
            type="json-file", config={"max-size": f"{spec.log_kb}k", "max-file": "1"}
        ),
        "mounts": [
            docker.types.Mount(target=b.target, source=b.source, type="bind", read_only=b.read_only)
            for b in spec.binds
        ],
        "labels": {
            LABEL_JOB: spec.job_id,
            LABEL_ROLE: spec.role,
            LABEL_CREATED: spec.created_at,
        },
        "detach": True,
    }
