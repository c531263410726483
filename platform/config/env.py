"""Typed readers for settings from environment variables (sandbox.env), raising Django's
ImproperlyConfigured, naming the variable, when a value is bad; plus DATABASE_URL parsing."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

from sandbox import env

P = ParamSpec("P")
T = TypeVar("T")


def _django(read: Callable[P, T]) -> Callable[P, T]:
    @wraps(read)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return read(*args, **kwargs)
        except env.EnvError as exc:
            raise ImproperlyConfigured(str(exc)) from exc

    return wrapper


env_str = _django(env.env_str)
env_bool = _django(env.env_bool)
env_int = _django(env.env_int)
env_float = _django(env.env_float)
env_list = _django(env.env_list)


def database_from_url(url: str, *, name: str = "DATABASE_URL") -> dict[str, Any]:
    """A Django DATABASES entry from `sqlite:///relative.db`, `sqlite:////absolute.db` or
    `postgres://user:password@host:port/name?sslmode=require`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if not path:
            raise ImproperlyConfigured(f"{name}: a sqlite URL needs a file path, got {url!r}")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path,
            # Several processes (web, worker, beat) share the file: wait for locks, and let
            # readers run beside the writer.
            "OPTIONS": {
                "timeout": 30,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    if parts.scheme in ("postgres", "postgresql"):
        if not parts.path.strip("/"):
            raise ImproperlyConfigured(f"{name}: a postgres URL needs a database name")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.strip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": dict(parse_qsl(parts.query)),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ImproperlyConfigured(
        f"{name} must start with sqlite:// or postgres://, got {parts.scheme or url!r}"
    )
