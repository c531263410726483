"""Shared helpers for tests that grade through the real Docker sandbox."""

from pathlib import Path

import docker
import pytest

import sandbox
from graders.package import load_exercise
from sandbox.config import SandboxConfig
from sandbox.containers import LABEL_JOB

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exercises"


def pytest_configure(config):
    """The runtime folder holds the SQLite test database: a fresh clone has none yet."""
    from django.conf import settings

    Path(settings.VAR_DIR).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def docker_client():
    return docker.from_env()


@pytest.fixture(scope="session")
def sandbox_config(tmp_path_factory):
    config = SandboxConfig.from_env()
    return SandboxConfig(
        **{
            **config.__dict__,
            "jobs_dir": tmp_path_factory.mktemp("jobs"),
            "pool_dir": tmp_path_factory.mktemp("pool"),
        }
    )


@pytest.fixture
def grade(docker_client, sandbox_config):
    """grade(exercise_name, source, suite=...) -> Report, then checks nothing was left behind."""

    jobs = []

    def run(name, source, suite="hidden", **kwargs):
        exercise = load_exercise(FIXTURES / name)
        data = source.encode() if isinstance(source, str) else source
        report = sandbox.grade(
            exercise, data, suite=suite, config=sandbox_config, client=docker_client, **kwargs
        )
        jobs.append(report.job_id)
        return report

    yield run
    for job_id in jobs:
        left = docker_client.containers.list(all=True, filters={"label": f"{LABEL_JOB}={job_id}"})
        assert left == [], f"job {job_id} left containers behind: {[c.name for c in left]}"
    assert list(sandbox_config.jobs_dir.iterdir()) == [], "job files left behind"
