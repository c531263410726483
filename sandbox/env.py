"""Typed readers of environment variables, for every setting of the project.

Django-free (the sandbox uses them directly); Django's settings wrap them to raise
ImproperlyConfigured (platform/config/env.py). A bad value raises EnvError naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

Number = TypeVar("Number", int, float)
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """An environment variable has a value that cannot be used; the message names it."""


def env_str(name: str, default: str) -> str:
    """The variable's value; the default when it is unset or blank."""
    return os.environ.get(name, "").strip() or default


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise EnvError(f"{name} must be true or false, got {raw!r}")


def _env_number(
    name: str, default: Number, convert: Callable[[str], Number], what: str, low: float, high: float
) -> Number:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = convert(raw)
    except ValueError as exc:
        raise EnvError(f"{name} must be {what}, got {raw!r}") from exc
    if not low <= value <= high:
        raise EnvError(f"{name} must be between {low} and {high}, got {value}")
    return value


def env_int(name: str, default: int, *, low: int = 0, high: int = 2**31) -> int:
    return _env_number(name, default, int, "an integer", low, high)


def env_float(name: str, default: float, *, low: float = 0.0, high: float = 1e9) -> float:
    return _env_number(name, default, float, "a number", low, high)


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]
