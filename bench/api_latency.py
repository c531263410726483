"""Time from POST /api/v1/submissions to GRADED, for the reference kmeans, N times in a row.

    .venv/bin/python bench/api_latency.py [--runs 10]

Starts the whole platform with deploy/local/run.py (its own Redis, SQLite and ports, in a
temporary folder), submits one after the other, polls every 50 ms, prints the median and range,
and stops everything. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from urllib.request import Request, urlopen

from local_platform import ROOT, local_platform


def call(base: str, token: str, path: str, body: dict | None = None) -> dict:
    request = Request(
        f"{base}{path}",
        data=json.dumps(body).encode() if body else None,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urlopen(request, timeout=30) as response:
        return json.load(response)


def time_api_submission(base: str, token: str, exercise: str, code: str) -> tuple[float, dict]:
    """Seconds from POST to GRADED (or FAILED), polling every 50 ms; and the final body."""
    started = time.monotonic()
    created = call(base, token, "/api/v1/submissions", {"exercise": exercise, "code": code})
    while True:
        body = call(base, token, f"/api/v1/submissions/{created['id']}")
        if body["status"] in ("GRADED", "FAILED"):
            return time.monotonic() - started, body
        time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--exercise", default="kmeans")
    options = parser.parse_args()
    with local_platform() as (base, output):
        token = re.search(r"demo token\s+(\w+)", output).group(1)
        code = (ROOT / "exercises" / options.exercise / "solution.py").read_text()
        times, verdicts = [], []
        for i in range(options.runs):
            seconds, body = time_api_submission(base, token, options.exercise, code)
            times.append(seconds)
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


if __name__ == "__main__":
    main()
