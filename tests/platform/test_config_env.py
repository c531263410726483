"""config.env: Django settings fail at start-up with ImproperlyConfigured naming the variable."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import database_from_url, env_int


def test_a_bad_setting_stops_django_with_the_variable_named(monkeypatch):
    monkeypatch.setenv("TJ_GRADING_MAX_ATTEMPTS", "many")
    with pytest.raises(ImproperlyConfigured, match="TJ_GRADING_MAX_ATTEMPTS must be an integer"):
        env_int("TJ_GRADING_MAX_ATTEMPTS", 4)


def test_database_urls_for_sqlite_and_postgres():
    sqlite = database_from_url("sqlite:////var/lib/tj/db.sqlite3")
    assert sqlite["ENGINE"].endswith("sqlite3") and sqlite["NAME"] == "/var/lib/tj/db.sqlite3"
    pg = database_from_url("postgres://tj:p%40ss@db.example:6543/tensorjudge?sslmode=require")
    assert pg["ENGINE"].endswith("postgresql") and pg["NAME"] == "tensorjudge"
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "tj",
        "p@ss",
        "db.example",
        "6543",
    )
    assert pg["OPTIONS"] == {"sslmode": "require"}
    with pytest.raises(ImproperlyConfigured, match="must start with sqlite:// or postgres://"):
        database_from_url("mysql://x/y")
