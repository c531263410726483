"""How fast a verdict comes, against what it could be: issue 9's benchmark (`make bench`).

    .venv/bin/python bench/fast_verdicts.py [--runs 10] [--rounds 10] [--throughput 200]
                                            [--stability 10] [--skip PART ...]
                                            [--exercises kmeans backprop]

In one run on one machine:
  latency      per exercise, N runs of each design (bench/designs.py): the bare tests in this
               warm process (the floor), the naive container, TensorJudge cold and warm;
               p50/p95 and the ratio of each p50 to the floor's. Every design runs the same
               tests: the speed tests take exactly --rounds rounds (designs.fixed_rounds), and
               the table shows the rounds each design's results reported
  throughput   N correctness-only submissions queued at once through the real platform
               (bench/throughput.py, the pool warming that exercise and suite): submissions
               per second, queue wait, end to end
  stability    the reference kmeans graded N times (speed ratio max/min), and a solution doing
               its work twice (bench/solutions/kmeans_2x_slower.py) graded beside it, under the
               exercise's own speed policy (what candidates get)
Progress goes to stderr; the Markdown report is printed last on stdout and written to
bench/results/<date>.md. A measurement, not a test: other load on the machine shows in it.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docker  # noqa: E402
from designs import (  # noqa: E402
    FLOOR,
    WARM,
    Keeper,
    Row,
    Stability,
    fixed_rounds,
    measure_cold,
    measure_floor,
    measure_naive,
    measure_stability,
    measure_warm,
)
from summary import percentile, ratio, seconds, table, verdict  # noqa: E402
from throughput import ThroughputResult, measure_throughput  # noqa: E402

from graders.package import find_exercise  # noqa: E402
from sandbox.config import SandboxConfig  # noqa: E402
from sandbox.image import ensure_image  # noqa: E402

PARTS = ("floor", "naive", "cold", "warm", "throughput", "stability")
LATENCY_PARTS = ("floor", "naive", "cold", "warm")
SLOW_KMEANS = ROOT / "bench" / "solutions" / "kmeans_2x_slower.py"
RESULTS_DIR = ROOT / "bench" / "results"
# Issue 9's goals.
WARM_OVER_FLOOR_MAX = 1.3
THROUGHPUT_MIN_PER_S = 3.0
STABILITY_MAX = 1.05


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def machine(client: docker.DockerClient, image: str) -> list[str]:
    cores = sorted(os.sched_getaffinity(0))
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        commit += " (with uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"- cores: {os.cpu_count()} (this process may use {len(cores)}: {cores})",
        f"- {platform.platform()}, Python {platform.python_version()}",
        f"- Docker {client.version().get('Version', '?')}, sandbox image `{image}`",
        f"- commit {commit}; load average at start {load}",
    ]


def latency_section(rows: list[Row], rounds: int) -> list[str]:
    floors = {r.exercise: r for r in rows if r.design == FLOOR and r.valid}
    body = []
    for row in rows:
        if row.unavailable:
            body.append([row.exercise, row.design, 0, *["n/a"] * 8, row.unavailable])
            continue
        floor = floors.get(row.exercise)
        p50, rest = percentile(row.seconds, 50), percentile(row.without_speed, 50)
        over = over_rest = math.nan
        if floor is not None and row.valid:
            over = p50 / percentile(floor.seconds, 50)
            over_rest = rest / percentile(floor.without_speed, 50)
        body.append(
            [
                row.exercise,
                row.design,
                row.runs,
                f"{row.good}/{row.runs}",
                row.rounds_ran(rounds),
                seconds(p50),
                seconds(percentile(row.seconds, 95)),
                ratio(over),
                seconds(percentile(row.speed_seconds, 50)),
                seconds(rest),
                ratio(over_rest),
                "; ".join(n for n in row.notes if n),
            ]
        )
    header = [
        "exercise",
        "design",
        "runs",
        "verdict ok",
        "speed rounds",
        "p50 s",
        "p95 s",
        "p50 / floor p50",
        "speed test p50 s",
        "p50 less speed test s",
        "that / floor's",
        "notes",
    ]
    return [
        "## Latency: one hidden-suite grading, start to verdict",
        "",
        "Floor: pytest.main in this already-warm process, solution and reference imported here "
        "(bench/inprocess.py), on the sandbox workers' core with as many BLAS/OpenMP/torch "
        "threads as a worker gets. Naive: from container create to its exit. TensorJudge: "
        "sandbox.grade() wall clock, container removal included. Each design had one untimed "
        "warm-up run first. All designs run the same tests: here the speed test takes exactly "
        f"{rounds} timed rounds (--rounds; the exercise's adaptive rounds, which stop on "
        "target_rse or budget_s, would run a different number in each design, following the "
        "noise each sees); 'speed rounds' is what every run's results reported. The columns "
        "after 'speed test p50 s' leave the speed test out (each run's time less its own).",
        "",
        table(header, body, left=2),
    ]


def throughput_section(result: ThroughputResult) -> list[str]:
    if result.error:
        return ["## Throughput", "", f"Not measured: {result.error}"]
    waits, ends = result.queue_wait_s, result.end_to_end_s
    verdicts = ", ".join(f"{k} {v}" for k, v in sorted(result.verdicts.items())) or "none"
    row = [
        result.count,
        f"{result.exercise} / {result.suite}",
        f"{result.finished}/{result.count}",
        verdicts,
        f"{result.per_second:.2f}",
        seconds(percentile(waits, 50)),
        seconds(percentile(waits, 95)),
        seconds(percentile(ends, 50)),
        seconds(percentile(ends, 95)),
        f"{result.post_s:.1f}",
        result.retried,
        f"{result.warm_sets}/{result.finished}",
    ]
    header = [
        "queued",
        "exercise / suite",
        "finished",
        "verdicts",
        "submissions/s",
        "queue wait p50 s",
        "p95 s",
        "end to end p50 s",
        "p95 s",
        "POSTs took s",
        "retried",
        "warm sets",
    ]
    return [
        "## Throughput: submissions queued at once through the platform",
        "",
        "deploy/local/run.py with TJ_WORKER_CONCURRENCY=2, TJ_POOL_SIZE=2 and "
        f"TJ_POOL_WARM={result.exercise}:{result.suite} (its own Redis, "
        "SQLite, sandbox folders). Rate = finished / (last finished - first created); queue "
        "wait = started_at - created_at; one untimed submission first.",
        "",
        table(header, [row]),
    ]


def stability_section(result: Stability, gradings: int) -> list[str]:
    rows = []
    for name, ratios, rounds in (
        ("reference kmeans", result.fast, result.fast_rounds),
        ("kmeans 2x slower", result.slow, result.slow_rounds),
    ):
        good = [r for r in ratios if not math.isnan(r)]
        spread = max(good) / min(good) if good else math.nan
        rows.append(
            [
                name,
                f"{len(good)}/{gradings}",
                f"{min(rounds)}-{max(rounds)}" if rounds else "n/a",
                ratio(min(good) if good else math.nan),
                ratio(statistics.median(good) if good else math.nan),
                ratio(max(good) if good else math.nan),
                ratio(spread),
                " ".join(f"{r:.3f}" for r in ratios),
            ]
        )
    header = [
        "candidate",
        "ratios",
        "speed rounds",
        "min",
        "median",
        "max",
        "max/min",
        "all, in order",
    ]
    return [
        "## Speed-score stability: the same files graded again and again",
        "",
        f"Speed ratio = reference time / candidate time (kmeans hidden speed test); "
        f"{'warm' if result.warm else 'cold'} gradings, the two files in alternating pairs, "
        "under the exercise's own speed policy (adaptive rounds, as candidates get them; not "
        "the latency part's fixed rounds). "
        f"Slow file ranked slower than its paired reference grading: "
        f"{result.ranked_slower}/{min(len(result.fast), len(result.slow))}.",
        "",
        table(header, rows),
        *([""] + [f"- {n}" for n in result.notes] if result.notes else []),
    ]


def goals_section(
    rows: list[Row], throughput: ThroughputResult | None, stability: Stability | None
) -> list[str]:
    def over_floor(slug: str, less_speed: bool = False) -> float:
        by_design = {r.design: r for r in rows if r.exercise == slug}
        floor, warm = by_design.get(FLOOR), by_design.get(WARM)
        if floor is None or warm is None or not (floor.valid and warm.valid):
            return math.nan
        if less_speed:
            return percentile(warm.without_speed, 50) / percentile(floor.without_speed, 50)
        return percentile(warm.seconds, 50) / percentile(floor.seconds, 50)

    body = []
    kmeans = over_floor("kmeans")
    body.append(
        [
            "warm latency / bare tests, kmeans (p50)",
            ratio(kmeans),
            f"<= {WARM_OVER_FLOOR_MAX}",
            verdict(None if math.isnan(kmeans) else kmeans <= WARM_OVER_FLOOR_MAX),
        ]
    )
    body += [
        ["warm latency / bare tests, backprop (p50)", ratio(over_floor("backprop")), "report", ""],
        *(
            [f"the same less the speed test, {slug}", ratio(over_floor(slug, True)), "report", ""]
            for slug in ("kmeans", "backprop")
        ),
    ]
    if throughput is not None and not throughput.error:
        rate_ok = throughput.per_second >= THROUGHPUT_MIN_PER_S and throughput.all_accepted
        body.append(
            [
                f"correctness-only submissions/s, {throughput.count} queued, all ACCEPTED",
                f"{throughput.per_second:.2f}",
                f">= {THROUGHPUT_MIN_PER_S:g}",
                verdict(rate_ok),
            ]
        )
    else:
        body.append(["correctness-only submissions/s", "n/a", f">= {THROUGHPUT_MIN_PER_S:g}", ""])
    if stability is not None and stability.fast:
        good = [r for r in stability.fast if not math.isnan(r)]
        spread = max(good) / min(good) if good else math.nan
        complete = len(good) == len(stability.fast)
        body.append(
            [
                f"same submission graded {len(stability.fast)}x: speed ratio max/min",
                ratio(spread),
                f"<= {STABILITY_MAX}",
                verdict(complete and spread <= STABILITY_MAX),
            ]
        )
        pairs = min(len(stability.fast), len(stability.slow))
        body.append(
            [
                "2x slower solution ranked slower",
                f"{stability.ranked_slower}/{pairs}",
                f"{pairs}/{pairs}",
                verdict(stability.ranked_slower == pairs),
            ]
        )
    else:
        body.append(["speed ratio max/min", "n/a", f"<= {STABILITY_MAX}", ""])
        body.append(["2x slower solution ranked slower", "n/a", "all", ""])
    return ["## Goals (issue 9)", "", table(["goal", "measured", "target", "result"], body)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per design")
    parser.add_argument(
        "--rounds", type=int, default=10, help="speed rounds in every latency design's runs"
    )
    parser.add_argument("--throughput", type=int, default=200, help="submissions queued")
    parser.add_argument("--stability", type=int, default=10, help="gradings per file")
    parser.add_argument("--skip", nargs="*", default=[], choices=PARTS, metavar="PART")
    parser.add_argument("--exercises", nargs="+", default=["kmeans", "backprop"])
    parser.add_argument("--candidate", type=Path, help="solution file (default: the reference)")
    parser.add_argument("--throughput-exercise", default="kmeans")
    options = parser.parse_args()
    if options.rounds < 1:
        parser.error("--rounds must be at least 1")
    work = Path(tempfile.mkdtemp(prefix="tj-bench-sandbox-"))
    try:
        markdown = run(options, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(markdown, end="")


def run(options: argparse.Namespace, work: Path) -> str:
    """Measure what `options` ask for; write the report; return its Markdown."""
    started = datetime.now(UTC)
    client = docker.from_env()
    # Its own jobs and pool folders: a keeper elsewhere on this host does not hold them.
    config = replace(
        SandboxConfig.from_env(), jobs_dir=work / "jobs", pool_dir=work / "pool", pool_size=2
    )
    image = ensure_image(client, build_base_if_missing=False)
    config = replace(config, image=image)
    info = machine(client, image)
    progress("\n".join(info))
    if Keeper is None:
        progress("sandbox.pool is not in this tree: the warm row will say n/a")

    rows: list[Row] = []
    for slug in options.exercises:
        # One Exercise object, fixed rounds, for all four designs: they run the same tests.
        exercise = fixed_rounds(find_exercise(slug, ROOT / "exercises"), options.rounds)
        candidate = options.candidate or exercise.solution_path
        source = candidate.read_bytes()
        if "floor" not in options.skip:
            rows.append(
                measure_floor(exercise, candidate, options.runs, config.worker_cpuset, progress)
            )
        if "naive" not in options.skip:
            rows.append(
                measure_naive(client, config, image, exercise, candidate, options.runs, progress)
            )
        if "cold" not in options.skip:
            rows.append(measure_cold(client, config, exercise, source, options.runs, progress))
        if "warm" not in options.skip:
            rows.append(measure_warm(client, config, exercise, source, options.runs, progress))

    throughput = None
    if "throughput" not in options.skip and options.throughput > 0:
        slug = options.throughput_exercise
        throughput = measure_throughput(
            count=options.throughput,
            exercise=slug,
            code=(ROOT / "exercises" / slug / "solution.py").read_text(),
            suite="public",
            progress=progress,
        )

    stability = None
    if "stability" not in options.skip and options.stability > 0:
        kmeans = find_exercise("kmeans", ROOT / "exercises")
        stability = measure_stability(
            client,
            config,
            kmeans,
            kmeans.solution_path.read_bytes(),
            SLOW_KMEANS.read_bytes(),
            options.stability,
            progress,
        )

    minutes = (datetime.now(UTC) - started).total_seconds() / 60
    lines = [
        f"# Fast verdicts: {started:%Y-%m-%d %H:%M} UTC",
        "",
        f"`bench/fast_verdicts.py --runs {options.runs} --rounds {options.rounds} "
        f"--throughput {options.throughput} "
        f"--stability {options.stability}"
        + (f" --skip {' '.join(options.skip)}" if options.skip else "")
        + f"` ({minutes:.1f} min)",
        "",
        *info,
        "",
    ]
    if rows:
        lines += [*latency_section(rows, options.rounds), ""]
    if throughput is not None:
        lines += [*throughput_section(throughput), ""]
    if stability is not None:
        lines += [*stability_section(stability, options.stability), ""]
    lines += goals_section(rows, throughput, stability)
    markdown = "\n".join(lines) + "\n"
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{started:%Y-%m-%d}.md"
    path.write_text(markdown)
    progress(f"\nwritten to {path.relative_to(ROOT)}\n")
    return markdown


if __name__ == "__main__":
    main()
