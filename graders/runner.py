"""Entry point of the candidate's (and the reference's) container.

    python -I -m graders.runner --socket /run/tj/rpc.sock --module /candidate/solution.py ...

Preloads the exercise's frameworks once (workers inherit them through fork), hardens the process
(not dumpable: the candidate, same uid, cannot ptrace it; a child subreaper: orphans come back to
it), connects the control channel and hands over to `graders.supervisor.Supervisor`.
"""

from __future__ import annotations

import argparse
import importlib
import os
import time
from collections.abc import Sequence

from graders.supervisor import PR_SET_CHILD_SUBREAPER, PR_SET_DUMPABLE, Supervisor, prctl
from graders.wire import connect_unix, send_frame


def _preload(modules: list[str]) -> None:
    for name in modules:
        importlib.import_module(name)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="graders.runner")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--module", required=True)
    parser.add_argument("--support", default="")
    parser.add_argument("--preload", default="")
    parser.add_argument("--banned", default="")
    parser.add_argument("--output-limit", type=int, default=1024 * 1024)
    options = parser.parse_args(argv)
    options.preload = [m for m in options.preload.split(",") if m]
    options.banned = [m for m in options.banned.split(",") if m]
    return options


def main(argv: Sequence[str] | None = None) -> None:
    options = parse_args(argv)
    prctl(PR_SET_DUMPABLE, 0)  # the candidate (same uid) cannot ptrace or read our memory
    prctl(PR_SET_CHILD_SUBREAPER, 1)  # orphans of the candidate come back to us to be reaped
    started = time.monotonic()
    _preload(options.preload)
    preload_s = time.monotonic() - started
    control = connect_unix(options.socket, time.monotonic() + 60.0)
    send_frame(control, {"role": "supervisor", "pid": os.getpid(), "preload_s": preload_s})
    Supervisor(control, options).serve()


if __name__ == "__main__":
    main()
