"""What can go wrong on the far side of a remote call, as seen from the checker.

Each class maps to one test outcome (see `graders.report.Outcome`): a test that ends with one of
these is classified by its type, never by the text the candidate put in it.
"""

from __future__ import annotations

import builtins


class UnsafeValue(Exception):
    """The candidate sent something the safe codec refuses (a subclass, object dtype...)."""


class CandidateFault(Exception):
    """Base of failures caused by the candidate's side of a remote call."""


class CandidateError(CandidateFault):
    """The candidate's code raised. `remote_type` is the exception's class name, as reported."""

    def __init__(self, remote_type: str, message: str, traceback_text: str = "") -> None:
        super().__init__(f"{remote_type}: {message}" if message else remote_type)
        self.remote_type = remote_type
        self.remote_message = message
        self.traceback_text = traceback_text


class CandidateTimeout(CandidateFault):
    """A remote call did not answer within its time limit; the worker was killed."""


class CandidateCrashed(CandidateFault):
    """The worker process died during a call (exit, signal, out of memory, output flood).

    `cause` is one of "exit", "signal", "memory", "output" or "container" (the candidate's
    whole container stopped answering after its code ran).
    """

    def __init__(self, message: str, *, cause: str) -> None:
        super().__init__(message)
        self.cause = cause


class CandidateImportFailed(CandidateFault):
    """The candidate's module did not import; `kind` says how (syntax, exception, exit, ...)."""

    def __init__(self, message: str, *, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class SandboxFault(Exception):
    """An infrastructure or exercise fault: never counted against the candidate."""


class ReferenceFailed(SandboxFault):
    """The reference solution failed or crashed: the exercise or the machine is at fault."""


# Remote exceptions are re-raised in the checker as a class that is BOTH a CandidateError and the
# matching built-in exception, so exercise tests can write `pytest.raises(ValueError)`. Only
# built-in `Exception` subclasses are mapped (never SystemExit, KeyboardInterrupt, pytest's
# outcome exceptions or StopIteration); the lookup is a dict built here, never a getattr on the
# candidate's string.
_BUILTIN_EXCEPTIONS: dict[str, type[Exception]] = {
    name: value
    for name, value in vars(builtins).items()
    if isinstance(value, type)
    and issubclass(value, Exception)
    # These steer control flow in the checker: a StopIteration raised inside map() or zip()
    # would end a test's loop early, as if every case had been checked.
    and not issubclass(value, StopIteration | StopAsyncIteration)
}
_REMOTE_CLASSES: dict[str, type[CandidateError]] = {}


def remote_exception(remote_type: str, message: str, traceback_text: str = "") -> CandidateError:
    """Build the exception to raise in the checker for an error the candidate's code raised."""
    builtin = _BUILTIN_EXCEPTIONS.get(remote_type)
    if builtin is None:
        return CandidateError(remote_type, message, traceback_text)
    cls = _REMOTE_CLASSES.get(remote_type)
    if cls is None:
        cls = type(f"Remote{remote_type}", (CandidateError, builtin), {})
        _REMOTE_CLASSES[remote_type] = cls
    try:
        return cls(remote_type, message, traceback_text)
    except TypeError:
        # A few built-ins (UnicodeDecodeError, ExceptionGroup) need constructor arguments that a
        # message cannot supply; they stay plain CandidateErrors.
        return CandidateError(remote_type, message, traceback_text)
