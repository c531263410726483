"""Entry point of every sandbox container: import what takes time, then wait for the job.

    python -I -m graders.warm checker --preload numpy,sklearn
    python -I -m graders.warm worker --preload numpy

A container is started before its job is known (the warm pool starts them ahead of need; a cold
job starts them just the same, only later). This process imports Python's heavy part first (the
frameworks listed in --preload, pytest and the harness for the checker), then blocks on opening the
FIFO `/run/tj/control/go`: the host can open it for writing only once we wait on it, which is how
it knows the container is ready. The host then writes one JSON object, `{"argv": [...]}`, and
closes; we hand the argv to `graders.checker.main` or `graders.runner.main`, which behave exactly as
in a container started for that job. Nothing of the candidate's runs before the go, and a container
serves exactly one job: it exits when its job is done.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence

GO_FIFO = "/run/tj/control/go"
GO_MAX_BYTES = 1024 * 1024
# Imported before the wait, besides --preload: what the role's main imports anyway.
ROLE_MODULES = {
    "checker": ("pytest", "graders.checker", "graders.pytest_plugin"),
    "worker": ("graders.runner",),
}


def read_go(path: str = GO_FIFO) -> list[str]:
    """Block until the host writes the job's argv into the FIFO at `path`; return it.

    The host probes readiness by opening the FIFO and closing it unwritten: that wakes us with
    nothing to read, and we wait again.
    """
    data = b""
    while not data:
        with open(path, "rb") as fifo:  # blocks until the host opens the other end
            data = fifo.read(GO_MAX_BYTES + 1)
    if len(data) > GO_MAX_BYTES:
        raise SystemExit(f"go message over {GO_MAX_BYTES} bytes")
    message = json.loads(data)
    argv = message.get("argv") if isinstance(message, dict) else None
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        raise SystemExit("go message without an argv list of strings")
    return argv


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="graders.warm")
    parser.add_argument("role", choices=sorted(ROLE_MODULES))
    parser.add_argument("--preload", default="")
    parser.add_argument("--go", default=GO_FIFO)
    options = parser.parse_args(argv)
    for name in [*ROLE_MODULES[options.role], *filter(None, options.preload.split(","))]:
        importlib.import_module(name)
    job_argv = read_go(options.go)
    sys.argv = [f"graders.{options.role}", *job_argv]
    if options.role == "checker":
        from graders import checker

        checker.main(job_argv)
    else:
        from graders import runner

        runner.main(job_argv)


if __name__ == "__main__":
    main()
