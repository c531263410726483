"""The sandbox: grade one source file against one exercise suite, in Docker.

    report = sandbox.grade(exercise, source_bytes, suite="hidden")

The only package that imports `docker`. Django-free: the `grade` command, Celery tasks and the
tests all call `grade()`. See `sandbox.job` for the containers and `sandbox.outcome` for how the
verdict is decided.
"""

from __future__ import annotations

import traceback

import docker
import docker.errors

from graders.package import SUITES, Exercise
from graders.report import Report, Verdict
from graders.text import decode_solution
from sandbox.config import SandboxConfig
from sandbox.image import ImageError, ensure_image
from sandbox.job import EventCallback, GradingJob, new_job_id
from sandbox.outcome import report_from_outcome, sandbox_error

__all__ = ["MAX_SOURCE_BYTES", "SubmissionRejected", "grade", "new_job_id"]

MAX_SOURCE_BYTES = 256 * 1024


class SubmissionRejected(ValueError):
    """The submission cannot be graded at all (too large); nothing was run."""


def grade(
    exercise: Exercise,
    source: bytes,
    *,
    suite: str = "hidden",
    config: SandboxConfig | None = None,
    client: docker.DockerClient | None = None,
    on_event: EventCallback | None = None,
    job_id: str | None = None,
) -> Report:
    """Grade `source` (the candidate's solution.py) against `exercise`'s `suite`.

    Always returns a Report: infrastructure failures are SANDBOX_ERROR with gradable=False.
    Raises SubmissionRejected for a source over MAX_SOURCE_BYTES and ValueError for an unknown
    suite. A source that is not UTF-8 is COMPILE_ERROR without starting a container.
    `job_id` (from `new_job_id()`) lets a caller record which containers are its own before the
    job starts; by default a fresh one is made.
    """
    if suite not in SUITES:
        raise ValueError(f"unknown suite {suite!r}; expected one of {', '.join(SUITES)}")
    if len(source) > MAX_SOURCE_BYTES:
        raise SubmissionRejected(
            f"solution is {len(source)} bytes; the limit is {MAX_SOURCE_BYTES} bytes (256 KB)"
        )
    try:
        decode_solution(source)
    except UnicodeDecodeError as exc:
        return Report(
            verdict=Verdict.COMPILE_ERROR,
            score=0.0,
            gradable=True,
            suite=suite,
            exercise=exercise.slug,
            message=f"solution.py is not valid UTF-8 (byte {exc.start}: {exc.reason})",
        )
    config = config or SandboxConfig.from_env()
    try:
        client = client or docker.from_env()
        image = ensure_image(client, build_base_if_missing=False)
    except (docker.errors.DockerException, ImageError) as exc:
        return sandbox_error(exercise, suite, f"the sandbox is not available: {exc}")
    job = GradingJob(
        client,
        config,
        image=image,
        exercise=exercise,
        source=source,
        suite=suite,
        on_event=on_event,
        job_id=job_id,
    )
    try:
        return report_from_outcome(exercise, suite, job.run())
    except Exception:  # a bug of ours must not lose the submission: SANDBOX_ERROR is retried
        diagnostics = traceback.format_exc()[-4000:]
        return sandbox_error(exercise, suite, "the sandbox failed unexpectedly", diagnostics)
