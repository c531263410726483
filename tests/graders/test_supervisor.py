"""graders.supervisor: stopping and killing every process a worker left, fork chains included.

The script plays the supervisor inside a real sandbox container (PID 1, a pids limit): the
chain it fights is a fork bomb by design, which must never run loose on the host."""

import textwrap

import pytest

from sandbox.containers import ContainerSpec, docker_arguments
from sandbox.image import ensure_image

SCRIPT = textwrap.dedent("""
    import os, time
    from graders.supervisor import _descendants, _kill_descendants, _stop_descendants

    if os.fork() == 0:
        # A chain: each process forks its successor and exits, for ever; the first generations
        # also leave a busy sibling behind.
        generation = 0
        while True:
            try:
                child = os.fork()
            except OSError:  # the pids limit: try again
                continue
            if child == 0:
                generation += 1
                if generation < 8 and os.fork() == 0:
                    while True:
                        pass
                continue
            os._exit(0)
    time.sleep(0.5)
    stopped = _stop_descendants()
    states = set(_descendants(os.getpid()).values())
    _kill_descendants()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            if os.waitpid(-1, os.WNOHANG) == (0, 0):
                time.sleep(0.01)
        except ChildProcessError:
            break
    left = [s for s in _descendants(os.getpid()).values() if s not in "ZX"]
    print(stopped, "".join(sorted(states)) or "-", len(left))
""")


@pytest.mark.parametrize("attempt", range(3))
def test_a_fork_chain_is_stopped_then_killed_to_the_last_process(docker_client, attempt):
    spec = ContainerSpec(
        role="candidate",
        job_id=f"supervisortest{attempt:02d}",
        image=ensure_image(docker_client, build_base_if_missing=False),
        command=["python", "-I", "-c", SCRIPT],
        uid=10001,
        memory_mb=256,
        pids=64,
        cpus=1.0,
        cpuset="0",
        tmpfs_mb=8,
        log_kb=64,
        runtime="runc",
        init=False,
    )
    container = docker_client.containers.create(**docker_arguments(spec))
    try:
        container.start()
        assert container.wait(timeout=120)["StatusCode"] == 0, container.logs()
        stopped, states, left = container.logs(stdout=True, stderr=False).decode().split()
    finally:
        container.remove(force=True)
    assert stopped == "True"
    assert set(states) <= set("TtZX-"), f"still running after the freeze: {states}"
    assert left == "0"
