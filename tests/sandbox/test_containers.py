"""sandbox.containers: the one template every sandbox container is created from."""

import pytest

from sandbox.containers import Bind, ContainerSpec, docker_arguments


@pytest.fixture
def arguments():
    spec = ContainerSpec(
        role="candidate",
        job_id="j1",
        image="img",
        command=["python"],
        uid=10001,
        memory_mb=512,
        pids=64,
        cpus=1.0,
        cpuset="1",
        tmpfs_mb=32,
        log_kb=256,
        runtime="runc",
        binds=[Bind("/host/a", "/a")],
    )
    return docker_arguments(spec)


def test_containers_are_cut_off_and_unprivileged(arguments):
    assert arguments["network_mode"] == "none"
    assert arguments["read_only"] is True
    assert arguments["cap_drop"] == ["ALL"]
    assert arguments["security_opt"][0] == "no-new-privileges:true"
    assert arguments["security_opt"][1].startswith("seccomp={")
    assert arguments["privileged"] is False
    assert arguments["user"] == "10001:10001"
    assert arguments["init"] is True


def test_memory_equals_memory_plus_swap_and_everything_is_bounded(arguments):
    assert arguments["mem_limit"] == arguments["memswap_limit"] == "512m"
    assert arguments["pids_limit"] == 64
    assert arguments["nano_cpus"] == 1_000_000_000 and arguments["cpuset_cpus"] == "1"
    assert "size=32m" in arguments["tmpfs"]["/tmp"]
    assert arguments["log_config"]["Config"]["max-size"] == "256k"
    limits = {u["Name"]: u["Hard"] for u in arguments["ulimits"]}
    assert limits["core"] == 0 and limits["fsize"] == 32 * 1024 * 1024


def test_every_mount_is_read_only_unless_asked_and_nothing_reaches_the_engine(arguments):
    assert all(m["ReadOnly"] for m in arguments["mounts"])
    assert not any("docker.sock" in m["Source"] for m in arguments["mounts"])


def test_containers_are_labelled_for_the_reaper(arguments):
    assert arguments["labels"]["org.tensorjudge.job"] == "j1"
    assert arguments["labels"]["org.tensorjudge.role"] == "candidate"


def test_blas_threads_follow_the_cpu_quota(arguments):
    assert arguments["environment"]["OMP_NUM_THREADS"] == "1"
    assert arguments["environment"]["OPENBLAS_NUM_THREADS"] == "1"
