"""The red-team suite: hostile kmeans submissions (tests/golden/hostile/*.py), each graded
through the real Docker sandbox, each with the verdict its `# expect:` line names.

Every case must end with its verdict, score nothing it did not solve, never be a SANDBOX_ERROR
(that would be retried forever and never counted), finish within TIME_BOUND_S, and leave the
host clean: no container, process, mount, file or socket of the job, the engine answering, free
disk unchanged. Timing cheats (`# base:` names the honest code they are appended to) must be
ACCEPTED and score no better on speed than that honest code. The table of results is written to
var/reports/hostile.md.

The suite runs with the warm pool on: before each case a ready set waits (started ahead, its
imports done), and the case takes it. The ready set of the pool is the only sandbox left running
between cases, and it is a fresh one: never the set the case used.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

import sandbox
from graders.package import load_exercise
from graders.report import Verdict
from sandbox.containers import CANDIDATE_UID, CHECKER_UID, LABEL_JOB, REFERENCE_UID
from sandbox.pool import Keeper

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = Path(__file__).resolve().parent / "hostile"
EXPECT = re.compile(r"^# expect: (not )?([A-Z_]+)\s*$", re.MULTILINE)
BASE = re.compile(r"^# base: (\S+)\s*$", re.MULTILINE)
MAY_PASS = re.compile(r"^# may-pass: (\S+)\s*$", re.MULTILINE)
MUST_FAIL = re.compile(r"^# must-fail: (\S+)\s*$", re.MULTILINE)
MUST_NOT_SHOW = re.compile(r"^# must-not-show: (\S+)\s*$", re.MULTILINE)
# kmeans: 5 s per call, 3 timeouts in a row stop the calls, 15 s to import; plus start-up,
# collection and teardown. A hang that escaped every limit would take the 240 s wall clock.
TIME_BOUND_S = 60.0
DISK_MARGIN_BYTES = 100 * 1024 * 1024
CHEAT_MARGIN = 1.5  # a working cheat gains 2x (a sabotaged reference) to 1e6x (frozen clocks)
SANDBOX_UIDS = {CHECKER_UID, CANDIDATE_UID, REFERENCE_UID}
CONTAINER_ID = re.compile(r"docker[/-]([0-9a-f]{64})")


@dataclass(frozen=True)
class Case:
    name: str
    source: bytes
    verdict: Verdict
    exact: bool
    base: Path | None
    may_pass: frozenset[str]  # tests the garbage it returns passes on its own merits
    must_fail: frozenset[str]  # tests that must not pass, whatever the verdict
    must_not_show: frozenset[str]  # text that must appear nowhere in the report


def load_case(path: Path) -> Case:
    text = path.read_text()
    expect = EXPECT.search(text)
    assert expect, f"{path.name} has no '# expect: VERDICT' line"
    base = BASE.search(text)
    base_path = ROOT / base.group(1) if base else None
    source = (base_path.read_text() + "\n\n" + text) if base_path else text
    return Case(
        name=path.stem,
        source=source.encode(),
        verdict=Verdict(expect.group(2)),
        exact=expect.group(1) is None,
        base=base_path,
        may_pass=frozenset(MAY_PASS.findall(text)),
        must_fail=frozenset(MUST_FAIL.findall(text)),
        must_not_show=frozenset(MUST_NOT_SHOW.findall(text)),
    )


CASES = [load_case(p) for p in sorted(HOSTILE.glob("*.py"))]


@dataclass(frozen=True)
class HostState:
    sandbox_processes: tuple[str, ...]
    overlay_mounts: int
    free_bytes: int


def host_state(docker_client, docker_root: str, job_id: str) -> HostState:
    """Sandbox processes no container accounts for, overlay mounts and free disk.

    Other sandboxes may run on this host meanwhile (the pool's ready set, another grader's
    jobs): a sandbox-uid process counts as left behind when it lives outside every container
    that still exists, or in one of this job's. Overlay mounts are counted net of the running
    containers (one each).
    """
    containers = {c.id: c for c in docker_client.containers.list(all=True)}
    running = sum(1 for c in containers.values() if c.status == "running")
    mounts = Path("/proc/self/mounts").read_text().splitlines()
    processes = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line
            )
            if int(fields.get("Uid", "0").split()[0]) not in SANDBOX_UIDS:
                continue
            owner = CONTAINER_ID.search((status.parent / "cgroup").read_text())
        except OSError:
            continue  # gone meanwhile
        container = containers.get(owner.group(1)) if owner else None
        if container is None or container.labels.get(LABEL_JOB) == job_id:
            processes.append(f"{status.parent.name} {fields.get('Name', '').strip()}")
    return HostState(
        sandbox_processes=tuple(processes),
        overlay_mounts=sum(1 for m in mounts if m.startswith("overlay ")) - running,
        free_bytes=shutil.disk_usage(docker_root).free,
    )


@pytest.fixture(scope="module")
def kmeans():
    return load_exercise(ROOT / "exercises" / "kmeans")


@pytest.fixture(scope="module")
def warm_pool(kmeans, docker_client, sandbox_config, tmp_path_factory):
    # A pool folder of its own: what other tests of the session wanted is not warmed here.
    config = replace(sandbox_config, pool_dir=tmp_path_factory.mktemp("hostile-pool"))
    keeper = Keeper(docker_client, config, size=1).start()
    keeper.prewarm(kmeans)
    yield keeper
    keeper.stop()


def wait_for_a_ready_set(keeper: Keeper, kmeans) -> set[str]:
    """Wait for the pool's one ready set (so nothing is starting); its set ids."""
    assert keeper.wait_ready(kmeans, 1, timeout_s=120), "the pool made no ready set"
    assert keeper.starting == {}
    return set(keeper.ready)


@pytest.fixture(scope="module")
def results():
    rows: list[list[str]] = []
    yield rows
    header = "| case | expected | verdict | score | time to verdict (s) | speed ratio (honest) |"
    lines = [header, "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in sorted(rows)]
    out = ROOT / "var" / "reports" / "hostile.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def graded_bases(kmeans, docker_client, sandbox_config):
    """The honest code's gradings, kept for the session; `again=True` adds one more."""
    reports: dict[Path, list] = {}

    def get(path: Path, again: bool = False):
        if path not in reports or again:
            reports.setdefault(path, []).append(
                sandbox.grade(
                    kmeans, path.read_bytes(), config=sandbox_config, client=docker_client
                )
            )
        return reports[path]

    return get


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_submission_fails_alone_and_leaves_nothing_behind(
    case, kmeans, docker_client, sandbox_config, results, graded_bases, warm_pool
):
    docker_root = docker_client.info()["DockerRootDir"]
    waiting = wait_for_a_ready_set(warm_pool, kmeans)
    before = host_state(docker_client, docker_root, "")
    report = sandbox.grade(kmeans, case.source, config=warm_pool.config, client=docker_client)
    assert report.timings.get("warm_set") == 1.0, "the case did not take the ready set"
    assert report.job_id in waiting
    assert report.job_id not in wait_for_a_ready_set(warm_pool, kmeans), "a used set came back"
    after = host_state(docker_client, docker_root, report.job_id)
    total_s = report.timings.get("total_s", 0.0)
    expected = ("" if case.exact else "not ") + case.verdict.value
    row = [case.name, expected, report.verdict.value, f"{report.score:.1f}", f"{total_s:.1f}", ""]
    results.append(row)

    failing = {t.name: t.outcome.value for t in report.tests if t.outcome.value != "passed"}
    assert report.gradable, f"{report.message}: {report.diagnostics}"
    if case.exact:
        assert report.verdict is case.verdict, (report.verdict, report.message, failing)
    else:
        assert report.verdict is not case.verdict, (report.verdict, failing)
    outcomes = {t.name: t.outcome.value for t in report.tests}
    for name in case.must_fail:
        assert outcomes.get(name, "missing") not in ("passed", "missing"), (name, outcomes)
    for text in case.must_not_show:
        assert text not in json.dumps(report.as_dict()), f"{text!r} is in the report"
    if case.base is None:  # no points for anything it did not solve
        passed = {t.name for t in report.tests if t.outcome.value == "passed" and t.points > 0}
        assert passed <= case.may_pass, f"scored {report.score} on {passed - case.may_pass}"
    assert total_s < TIME_BOUND_S

    # Nothing of the job survives it, and the host is as it was.
    assert docker_client.ping()
    left = docker_client.containers.list(
        all=True, filters={"label": f"{LABEL_JOB}={report.job_id}"}
    )
    assert left == [], f"containers left: {[c.name for c in left]}"
    assert not (sandbox_config.jobs_dir / report.job_id).exists(), "job files left"
    assert after.sandbox_processes == (), f"processes left: {after.sandbox_processes}"
    assert after.overlay_mounts <= before.overlay_mounts, "mounts left"
    sockets = Path("/proc/net/unix").read_text()
    assert str(sandbox_config.jobs_dir / report.job_id) not in sockets, "sockets left"
    assert abs(after.free_bytes - before.free_bytes) < DISK_MARGIN_BYTES

    if case.base is not None:
        # The honest code's best ratio: a noisy machine can time one honest grading low (seen:
        # 0.30 against its usual 0.40-0.48), so an apparent gain is checked against up to two
        # more honest gradings. The cheat gets no second chance.
        honest = graded_bases(case.base)
        while report.speed["ratio"] > best_ratio(honest) * CHEAT_MARGIN and len(honest) < 3:
            honest = graded_bases(case.base, again=True)
        row[-1] = f"{report.speed['ratio']:.2f} ({best_ratio(honest):.2f})"
        assert all(h.verdict is Verdict.ACCEPTED for h in honest)
        assert not report.speed["suspicious"], report.speed
        assert report.speed["ratio"] <= best_ratio(honest) * CHEAT_MARGIN, (
            f"the cheat gained speed: {report.speed['ratio']} vs honest "
            f"{[h.speed['ratio'] for h in honest]}"
        )


def best_ratio(reports) -> float:
    return max(r.speed["ratio"] for r in reports)
