"""sandbox.reaper: leftovers of dead graders are removed; live and recent jobs are not."""

import contextlib
from datetime import UTC, datetime, timedelta

import docker.errors
import pytest

from sandbox.containers import ContainerSpec, docker_arguments
from sandbox.image import ensure_image
from sandbox.reaper import reap


@pytest.fixture
def make_container(docker_client):
    image = ensure_image(docker_client, build_base_if_missing=False)
    made = []

    def make(job_id, age_s):
        created = (datetime.now(UTC) - timedelta(seconds=age_s)).isoformat()
        spec = ContainerSpec(
            role="candidate",
            job_id=job_id,
            image=image,
            command=["sleep", "300"],
            uid=10001,
            memory_mb=64,
            pids=8,
            cpus=0.5,
            cpuset="0",
            tmpfs_mb=1,
            log_kb=16,
            runtime="runc",
            created_at=created,
        )
        container = docker_client.containers.create(**docker_arguments(spec))
        container.start()
        made.append(container)
        return container

    yield make
    for container in made:
        with contextlib.suppress(docker.errors.NotFound):  # already reaped: the point
            container.remove(force=True)


def test_old_orphans_are_removed_and_live_or_recent_jobs_are_kept(
    docker_client, make_container, tmp_path
):
    old = make_container("reaper-old", age_s=7200)
    live = make_container("reaper-live", age_s=7200)
    recent = make_container("reaper-recent", age_s=10)
    (tmp_path / "reaper-old").mkdir()
    reaped = reap(docker_client, jobs_dir=tmp_path, older_than_s=3600, live_jobs={"reaper-live"})
    assert "reaper-old" in reaped and "reaper-live" not in reaped
    assert "reaper-recent" not in reaped
    remaining = {c.id for c in docker_client.containers.list(all=True)}
    assert old.id not in remaining
    assert live.id in remaining and recent.id in remaining
