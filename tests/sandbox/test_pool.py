"""sandbox.pool: warm sets are taken once, destroyed after their job, refilled, bounded, spared
by the reaper while their keeper lives; a dead warm set costs the job nothing but time."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

import sandbox
from graders.package import load_exercise
from graders.report import Verdict
from sandbox import pool
from sandbox.containers import LABEL_JOB
from sandbox.pool import Keeper, KeeperBusy
from sandbox.reaper import reap
from sandbox.sets import Profile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exercises"

ARITH_SOLUTION = (FIXTURES / "arith" / "solution.py").read_bytes()


@pytest.fixture
def config(sandbox_config, tmp_path):
    """A pool folder of this test's own: keepers of other tests never meet it."""
    return replace(sandbox_config, pool_dir=tmp_path / "pool", pool_size=2)


@pytest.fixture
def arith():
    return load_exercise(FIXTURES / "arith")


@pytest.fixture
def keeper(docker_client, config):
    keepers = []

    def start(**kwargs):
        made = Keeper(docker_client, config, **kwargs).start()
        keepers.append(made)
        return made

    yield start
    for made in keepers:
        made.stop()


def ready_ids(config) -> list[str]:
    return sorted(name.split(".", 1)[1] for name in os.listdir(config.pool_dir / "ready"))


def containers_of(docker_client, set_id):
    return docker_client.containers.list(all=True, filters={"label": f"{LABEL_JOB}={set_id}"})


def test_a_warm_set_serves_exactly_one_job_and_is_replaced(docker_client, config, arith, keeper):
    pool_keeper = keeper(size=1)
    pool_keeper.prewarm(arith)
    assert pool_keeper.wait_ready(arith, 1, timeout_s=120)
    [first] = ready_ids(config)
    assert len(containers_of(docker_client, first)) == 3

    report = sandbox.grade(arith, ARITH_SOLUTION, config=config, client=docker_client)

    assert report.verdict is Verdict.ACCEPTED, report.message
    assert report.timings["warm_set"] == 1.0
    assert report.job_id == first  # one id: the job, its containers, its folder
    assert containers_of(docker_client, first) == []
    assert not (config.jobs_dir / first).exists()
    assert os.listdir(config.pool_dir / "claimed") == []
    # The keeper makes a new set; the next job gets that one, never the used one.
    assert pool_keeper.wait_ready(arith, 1, timeout_s=120)
    [second] = ready_ids(config)
    assert second != first
    again = sandbox.grade(arith, ARITH_SOLUTION, config=config, client=docker_client)
    assert again.verdict is Verdict.ACCEPTED and again.job_id == second
    assert again.timings["warm_set"] == 1.0


def test_without_a_ready_set_the_job_runs_cold_and_asks_for_one(docker_client, config, arith):
    report = sandbox.grade(arith, ARITH_SOLUTION, config=config, client=docker_client)
    assert report.verdict is Verdict.ACCEPTED
    assert report.timings["warm_set"] == 0.0
    assert containers_of(docker_client, report.job_id) == []
    # The profile is now wanted, and the miss counted: a keeper will warm it.
    profile_key = os.listdir(config.pool_dir / "wanted")[0].removesuffix(".json")
    assert (config.pool_dir / "misses" / profile_key).stat().st_size == 1


def test_a_warm_set_that_died_waiting_costs_the_job_only_time(docker_client, config, arith, keeper):
    pool_keeper = keeper(size=1)
    pool_keeper.prewarm(arith)
    assert pool_keeper.wait_ready(arith, 1, timeout_s=120)
    [dead] = ready_ids(config)
    docker_client.containers.get(f"tj-{dead}-candidate").kill()

    report = sandbox.grade(arith, ARITH_SOLUTION, config=config, client=docker_client)

    assert report.verdict is Verdict.ACCEPTED, (report.message, report.diagnostics)
    assert report.timings["warm_set"] == 0.0  # it fell back to a cold set
    assert report.job_id != dead
    assert containers_of(docker_client, dead) == []


def test_one_ready_set_goes_to_exactly_one_of_many_takers(config):
    profile = Profile.from_json(
        '{"image":"i","runtime":"runc","preload":[],"checker_preload":[],"memory_mb":64,'
        '"cpus":1.0,"pids":8,"tmpfs_mb":1,"threads":1,"checker_memory_mb":256,'
        '"checker_pids":8,"checker_output_kb":64,"checker_cpuset":"0","worker_cpuset":"0"}'
    )
    (config.pool_dir / "ready").mkdir(parents=True)
    (config.pool_dir / "ready" / f"{profile.key}.0123456789abcdef").write_text("")
    won: list[str | None] = []
    start = threading.Barrier(8)

    def taker(n: int) -> None:
        start.wait()
        won.append(pool.take(config, profile, f"{n:016x}"))

    threads = [threading.Thread(target=taker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [w for w in won if w is not None] == ["0123456789abcdef"]
    assert (config.pool_dir / "misses" / profile.key).stat().st_size == 7
    owner = (config.pool_dir / "claimed" / "0123456789abcdef").read_text()
    assert owner in {f"{n:016x}" for n in range(8)}


def test_size_and_memory_budget_bound_the_pool(docker_client, config, arith, keeper):
    # A long queue asks for as many sets as the size allows, and no more.
    pool_keeper = keeper(size=2, queue_length=lambda: 50)
    pool_keeper.prewarm(arith)
    assert pool_keeper.wait_ready(arith, 2, timeout_s=180)
    time.sleep(2.0)
    assert len(ready_ids(config)) == 2
    assert len(pool_keeper.starting) == 0
    measured = pool_keeper.profiles[pool_keeper.profile_for(arith).key].memory_mb
    assert 0 < measured < 1024
    pool_keeper.stop()
    assert ready_ids(config) == []
    # A budget below one set's measured size: the keeper starts nothing at all.
    tight = keeper(size=2, memory_budget_mb=256, queue_length=lambda: 50)
    tight.prewarm(arith)
    time.sleep(3.0)
    assert ready_ids(config) == [] and tight.starting == {}


def test_one_keeper_per_pool_folder(docker_client, config, keeper):
    keeper()
    with pytest.raises(KeeperBusy):
        Keeper(docker_client, config).start()


def test_the_reaper_spares_a_live_keepers_sets_and_reaps_a_dead_jobs_set(
    docker_client, config, arith, keeper
):
    pool_keeper = keeper(size=1)
    pool_keeper.prewarm(arith)
    assert pool_keeper.wait_ready(arith, 1, timeout_s=120)
    [ready] = ready_ids(config)
    # (only_jobs: other sandboxes of this host are not this test's to reap)
    reaped = reap(
        docker_client,
        jobs_dir=config.jobs_dir,
        pool_dir=config.pool_dir,
        older_than_s=0,
        only_jobs={ready},
    )
    assert reaped == [] and len(containers_of(docker_client, ready)) == 3

    # Taken for job J, whose grader then died: the set is J's, and reaping J removes it.
    job = "feedfacecafebeef"
    assert pool.take(config, pool_keeper.profile_for(arith), job) == ready
    spared = reap(
        docker_client,
        jobs_dir=config.jobs_dir,
        pool_dir=config.pool_dir,
        older_than_s=0,
        live_jobs={job},
        only_jobs={job},
    )
    assert spared == []
    assert len(containers_of(docker_client, ready)) == 3  # its job is live: spared
    assert reap(
        docker_client,
        jobs_dir=config.jobs_dir,
        pool_dir=config.pool_dir,
        older_than_s=0,
        only_jobs={job},
    ) == [job]
    assert containers_of(docker_client, ready) == []
    assert not (config.jobs_dir / ready).exists()
    assert not (config.pool_dir / "claimed" / ready).exists()


def test_new_demand_is_not_starved_by_old_demand_in_a_full_pool(
    docker_client, config, arith, keeper
):
    probe = load_exercise(FIXTURES / "sandbox-probe")
    pool_keeper = keeper(size=1)
    old = pool_keeper.prewarm(arith)
    assert pool_keeper.wait_ready(arith, 1, timeout_s=120)
    [old_set] = ready_ids(config)
    time.sleep(1.1)  # wanted times are file times: let the new demand be visibly newer
    new = pool_keeper.prewarm(probe)
    assert new.key != old.key
    assert pool_keeper.wait_ready(probe, 1, timeout_s=120)
    assert old_set not in ready_ids(config)
    assert containers_of(docker_client, old_set) == []
