"""Fixtures for the platform tests: a real Redis, the test database, a bank synced from real
packages, an API client, and (for end-to-end tests) a Celery worker and gunicorn as real
processes sharing the test database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

import stack
from e2e import FINISHED, wait_for

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "exercises"
BANK_SOURCES = [ROOT / "exercises" / "kmeans", FIXTURES / "arith", FIXTURES / "canary"]
QUESTION_FIXTURES = ROOT / "tests" / "fixtures" / "questions"


@pytest.fixture(scope="session")
def bank_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    bank = tmp_path_factory.mktemp("bank")
    for source in BANK_SOURCES:
        shutil.copytree(source, bank / source.name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(QUESTION_FIXTURES, bank / "questions")
    return bank


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[stack.RedisServer]:
    """A private Redis; this process's Celery app and progress reader point at it."""
    from config.celery import app
    from submissions import progress

    server = stack.RedisServer(stack.free_port(), tmp_path_factory.mktemp("redis")).start()
    settings.CELERY_BROKER_URL = f"{server.url}/0"
    settings.PROGRESS_REDIS_URL = f"{server.url}/1"
    app.conf.broker_url = settings.CELERY_BROKER_URL
    progress._client.cache_clear()
    yield server
    server.stop()


@pytest.fixture
def bank(db: None, bank_dir: Path) -> Path:
    from bank.services import exercise_sync_directory, question_sync_directory

    result = exercise_sync_directory(bank=bank_dir)
    assert not result.errors, result.errors
    result = question_sync_directory(folder=bank_dir / "questions")
    assert not result.errors, result.errors
    return bank_dir


@pytest.fixture
def user_token(db: None) -> tuple[object, str]:
    from accounts.services import account_ensure_with_token

    return account_ensure_with_token(username="candidate")


@pytest.fixture
def api(user_token: tuple[object, str]) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {user_token[1]}")
    return client


def database_url_of_this_run() -> str:
    """The URL of the database this test run uses, for processes started by the tests."""
    s = connection.settings_dict
    if s["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{s['NAME']}"
    host, port = s["HOST"] or "127.0.0.1", s["PORT"] or 5432
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{host}:{port}/{s['NAME']}"


@dataclass
class Platform:
    base_url: str
    worker: stack.Service
    web: stack.Service
    env: dict[str, str]
    logs: Path

    def logs_tail(self) -> str:
        return f"--- worker ---\n{self.worker.log_tail()}\n--- web ---\n{self.web.log_tail()}"

    def wait_for(
        self, token: str, submission_id: str, *, statuses: set[str] = FINISHED
    ) -> dict[str, Any]:
        """Poll the API until the submission is in one of `statuses` (default: finished)."""
        return wait_for(self.base_url, token, submission_id, statuses=statuses, logs=self.logs_tail)


@pytest.fixture(scope="module")
def platform(
    django_db_setup: None,
    django_db_blocker: pytest.FixtureRequest,
    redis_server: stack.RedisServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Platform]:
    """A Celery worker and gunicorn as real processes on the test database."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        database_url = database_url_of_this_run()
    logs = tmp_path_factory.mktemp("logs")
    env = stack.platform_env(
        database_url=database_url, redis_url=redis_server.url, var=tmp_path_factory.mktemp("var")
    )
    port = stack.free_port()
    worker = stack.worker(env, logs).start()
    web = stack.web(env, logs, port).start()
    stack.wait_until(lambda: stack.answers(port), timeout_s=30, what="gunicorn")
    stack.wait_until(lambda: "ready." in worker.log_tail(200), timeout_s=60, what="the worker")
    yield Platform(f"http://127.0.0.1:{port}", worker, web, env, logs)
    web.stop()
    worker.stop()


@dataclass
class Member:
    """A signed-in member of an organization: their membership and a logged-in test client."""

    membership: Any
    client: Any

    @property
    def organization(self) -> Any:
        return self.membership.organization


@pytest.fixture
def make_member(db: None) -> Any:
    """make_member(org_slug, role) -> Member: the organization is created on first use, the
    account is `<role>@<org_slug>.test` with password "pw-<role>-<org_slug>"."""
    from django.test import Client

    from accounts.models import Organization
    from accounts.services import member_add

    def make(org_slug: str = "acme", role: str = "owner") -> Member:
        organization, _ = Organization.objects.get_or_create(
            slug=org_slug, defaults={"name": org_slug.title()}
        )
        email = f"{role}@{org_slug}.test"
        membership = member_add(
            organization=organization, email=email, role=role, password=f"pw-{role}-{org_slug}"
        )
        client = Client()
        client.force_login(membership.user)
        return Member(membership, client)

    return make


@pytest.fixture
def make_api_key(db: None) -> Any:
    """make_api_key(org_slug="acme", scopes=("read", "invite", "admin")) -> (ApiKey, raw key,
    an APIClient sending `Authorization: Bearer <key>`); the organization is created on first
    use."""
    from accounts.api_keys import api_key_create
    from accounts.models import Organization

    def make(org_slug: str = "acme", scopes: tuple[str, ...] = ("admin",)) -> Any:
        organization, _ = Organization.objects.get_or_create(
            slug=org_slug, defaults={"name": org_slug.title()}
        )
        key, raw = api_key_create(
            organization=organization, name=f"ATS of {org_slug}", scopes=scopes, actor=None
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return key, raw, client

    return make
