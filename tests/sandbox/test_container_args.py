"""sandbox.containers: BLAS/OpenMP pools are sized by the exercise's threads, not the CPU quota."""

from dataclasses import replace

from sandbox.containers import THREAD_VARIABLES, ContainerSpec, docker_arguments

SPEC = ContainerSpec(
    role="candidate",
    job_id="j1",
    image="img",
    command=["python"],
    uid=10001,
    memory_mb=512,
    pids=64,
    cpus=4.0,
    cpuset="1-4",
    tmpfs_mb=32,
    log_kb=256,
    runtime="runc",
)


def thread_environment(spec: ContainerSpec) -> dict[str, str]:
    environment = docker_arguments(spec)["environment"]
    return {name: environment[name] for name in THREAD_VARIABLES}


def test_workers_are_single_threaded_by_default_whatever_the_cpu_quota():
    assert SPEC.threads == 1
    assert thread_environment(SPEC) == dict.fromkeys(THREAD_VARIABLES, "1")
    assert docker_arguments(SPEC)["nano_cpus"] == 4_000_000_000  # the quota itself is unchanged


def test_an_exercise_that_asks_for_threads_gets_them_in_every_pool_variable():
    spec = replace(SPEC, threads=3)
    assert thread_environment(spec) == dict.fromkeys(THREAD_VARIABLES, "3")
    assert {"OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"} <= set(THREAD_VARIABLES)
