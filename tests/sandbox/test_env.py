"""sandbox.env: settings from the environment, with errors that name the variable."""

import pytest

from sandbox.env import EnvError, env_bool, env_float, env_int, env_list, env_str


def test_unset_or_blank_variables_take_the_default(monkeypatch):
    monkeypatch.delenv("TJ_X", raising=False)
    assert env_str("TJ_X", "d") == "d" and env_int("TJ_X", 3) == 3
    monkeypatch.setenv("TJ_X", "  ")
    assert env_str("TJ_X", "d") == "d" and env_float("TJ_X", 1.5) == 1.5


def test_values_are_parsed(monkeypatch):
    monkeypatch.setenv("TJ_X", "42")
    assert env_int("TJ_X", 0) == 42 and env_float("TJ_X", 0.0) == 42.0
    monkeypatch.setenv("TJ_X", "yes")
    assert env_bool("TJ_X", False) is True
    monkeypatch.setenv("TJ_X", "a, b,,c")
    assert env_list("TJ_X", []) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("value", "read", "words"),
    [
        ("lots", lambda: env_int("TJ_X", 1), "TJ_X must be an integer, got 'lots'"),
        ("-5", lambda: env_int("TJ_X", 1, low=0), "TJ_X must be between 0 and"),
        ("maybe", lambda: env_bool("TJ_X", True), "TJ_X must be true or false"),
        ("1e99", lambda: env_float("TJ_X", 1.0), "TJ_X must be between"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_variable(monkeypatch, value, read, words):
    monkeypatch.setenv("TJ_X", value)
    with pytest.raises(EnvError, match=words):
        read()
