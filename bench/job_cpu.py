"""Where the CPU of one grading job goes: the profile behind the throughput number.

    .venv/bin/python bench/job_cpu.py [slug] [--suite public] [--runs 10] [--pool]

Grades the reference solution N times in a row and splits the machine's busy CPU time during
each job (from /proc/stat, so every process counts) into: each container's processes (their
cgroup's CPU time, warm-up imports included), this grading process, and the rest: the Docker
engine (dockerd, containerd, shims, runc) and the kernel's work for them. With --pool a keeper
makes the sets ahead (their warm-up is still counted: it happens on the same cores). On 2 cores,
submissions per second can be at most 2 / (CPU seconds per job). A measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docker  # noqa: E402

import sandbox  # noqa: E402
from graders.package import find_exercise  # noqa: E402
from sandbox.config import SandboxConfig  # noqa: E402
from sandbox.pool import Keeper  # noqa: E402


def busy_cpu_s() -> float:
    """All CPUs' non-idle time since boot, in seconds."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_s() -> float:
    t = os.times()
    return t.user + t.system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("exercise", nargs="?", default="kmeans")
    parser.add_argument("--suite", default="public")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pool", action="store_true")
    args = parser.parse_args()
    exercise = find_exercise(args.exercise, ROOT / "exercises")
    source = exercise.solution_path.read_bytes()
    client = docker.from_env()
    config = SandboxConfig.from_env()
    keeper = None
    if args.pool:
        keeper = Keeper(client, config, size=2).start()
        keeper.prewarm(exercise, args.suite)
        keeper.wait_ready(exercise, 1, suite=args.suite)
    rows = []
    try:
        for i in range(args.runs):
            busy, own, wall = busy_cpu_s(), own_cpu_s(), time.monotonic()
            report = sandbox.grade(exercise, source, suite=args.suite, config=config, client=client)
            if keeper is not None:  # the refill's CPU belongs to this job too
                keeper.wait_ready(exercise, 1, suite=args.suite)
            busy, own = busy_cpu_s() - busy, own_cpu_s() - own
            containers = {
                k.removeprefix("cpu_").removesuffix("_s"): v
                for k, v in report.timings.items()
                if k.startswith("cpu_")
            }
            # The checker has exited (its cgroup with it) by then: it reports its own CPU time.
            containers["checker"] = report.timings.get("checker_cpu_s", 0.0)
            rows.append(
                {
                    "wall": time.monotonic() - wall,
                    "busy": busy,
                    "grader": own,
                    **containers,
                    "engine + kernel": max(0.0, busy - own - sum(containers.values())),
                }
            )
            print(f"run {i + 1}: {report.verdict.value} busy {busy:.2f} CPU s", file=sys.stderr)
    finally:
        if keeper is not None:
            keeper.stop()
    print(
        f"\n{exercise.slug} ({args.suite} suite), {args.runs} jobs, "
        f"{'warm pool' if args.pool else 'cold'}, median per job\n"
    )
    print(f"{'where':<22} {'CPU s':>7} {'share':>6}")
    total = statistics.median(r["busy"] for r in rows)
    for name in [k for k in rows[0] if k not in ("wall", "busy")]:
        value = statistics.median(r.get(name, 0.0) for r in rows)
        print(f"{name:<22} {value:>7.3f} {value / total:>6.0%}")
    print(f"{'all CPU (busy)':<22} {total:>7.3f}")
    print(f"{'wall clock':<22} {statistics.median(r['wall'] for r in rows):>7.3f}")
    cores = len(os.sched_getaffinity(0))
    print(f"ceiling on {cores} cores: {cores / total:.2f} submissions/s")


if __name__ == "__main__":
    main()
