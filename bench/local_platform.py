"""The whole platform for a benchmark: deploy/local/run.py in a temporary folder with its own
Redis, SQLite and port; yields the base URL and run.py's output (tokens and links)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def local_platform(**extra_env: str) -> Iterator[tuple[str, str]]:
    """Start run.py, wait for READY, yield (base URL, its output so far); stop it after."""
    var = Path(tempfile.mkdtemp(prefix="tj-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "TJ_VAR_DIR": str(var),
        "TJ_PORT": str(port),
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}",
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        "TJ_LOG_LEVEL": "WARNING",
        **extra_env,
    }
    log_path = var / "run.log"
    with log_path.open("w+") as log:
        runner = subprocess.Popen(
            [sys.executable, str(ROOT / "deploy" / "local" / "run.py")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        try:
            deadline = time.monotonic() + 180
            while "READY" not in log_path.read_text():
                if runner.poll() is not None or time.monotonic() > deadline:
                    sys.exit(log_path.read_text()[-2000:])
                time.sleep(0.5)
            yield f"http://127.0.0.1:{port}", log_path.read_text()
        finally:
            runner.send_signal(signal.SIGINT)
            runner.wait(timeout=60)
            shutil.rmtree(var, ignore_errors=True)
