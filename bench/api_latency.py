"""Time from POST /api/v1/submissions to GRADED, for the reference kmeans, N times in a row.

    .venv/bin/python bench/api_latency.py [--runs 10]

Starts the whole platform with deploy/local/run.py (its own Redis, SQLite and ports, in a
temporary folder), submits one after the other, polls every 50 ms, prints the median and range,
and stops everything. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(base: str, token: str, path: str, body: dict | None = None) -> dict:
    request = Request(
        f"{base}{path}",
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urlopen(request, timeout=30) as response:
        return json.load(response)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--exercise", default="kmeans")
    options = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="tj-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "TJ_VAR_DIR": str(var),
        "TJ_PORT": str(port),
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}",
        "DATABASE_URL": f"sqlite:///{var / 'db.sqlite3'}",
        "TJ_LOG_LEVEL": "WARNING",
    }
    log = (var / "run.log").open("w+")
    runner = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "local" / "run.py")],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
    )
    try:
        deadline = time.monotonic() + 180
        while "READY" not in (var / "run.log").read_text():
            if runner.poll() is not None or time.monotonic() > deadline:
                sys.exit((var / "run.log").read_text()[-2000:])
            time.sleep(0.5)
        token = re.search(r"demo token\s+(\w+)", (var / "run.log").read_text()).group(1)
        base = f"http://127.0.0.1:{port}"
        code = (ROOT / "exercises" / options.exercise / "solution.py").read_text()
        times, verdicts = [], []
        for i in range(options.runs):
            started = time.monotonic()
            created = call(
                base, token, "/api/v1/submissions", {"exercise": options.exercise, "code": code}
            )
            while True:
                body = call(base, token, f"/api/v1/submissions/{created['id']}")
                if body["status"] in ("GRADED", "FAILED"):
                    break
                time.sleep(0.05)
            times.append(time.monotonic() - started)
            verdicts.append(body["verdict"])
            print(
                f"run {i + 1}: {body['status']} {body['verdict']} in {times[-1]:.2f} s",
                file=sys.stderr,
            )
        print(f"\nPOST -> GRADED, reference {options.exercise}, {options.runs} runs")
        print(
            f"median {statistics.median(times):.2f} s   min {min(times):.2f} s   "
            f"max {max(times):.2f} s   verdicts {sorted(set(verdicts))}"
        )
    finally:
        runner.send_signal(signal.SIGINT)
        runner.wait(timeout=60)


if __name__ == "__main__":
    main()
