"""graders.errors: a remote exception matches its built-in type, and nothing more dangerous."""

import pytest

from graders.errors import CandidateError, remote_exception


def test_a_remote_value_error_is_caught_as_value_error():
    with pytest.raises(ValueError, match="k must be"):
        raise remote_exception("ValueError", "k must be positive", "tb")


def test_a_remote_os_error_keeps_its_builtin_type():
    assert isinstance(remote_exception("FileNotFoundError", "x"), FileNotFoundError)


@pytest.mark.parametrize(
    "name",
    [
        "SystemExit",
        "KeyboardInterrupt",
        "Exit",
        "Skipped",
        "GeneratorExit",
        "NoSuchThing",
        "__class__",
    ],
)
def test_base_exceptions_and_unknown_names_stay_plain_candidate_errors(name):
    exc = remote_exception(name, "boom")
    assert type(exc) is CandidateError
    assert not isinstance(exc, (SystemExit, KeyboardInterrupt, GeneratorExit, StopIteration))


def test_exceptions_needing_constructor_arguments_fall_back_to_candidate_error():
    exc = remote_exception("UnicodeDecodeError", "bad byte")
    assert isinstance(exc, CandidateError) and "bad byte" in str(exc)
