"""Validating a draft's content: the authoring gate (sandbox.gate) run on a frozen copy of its
files by the `bank.validate_exercise` Celery task, its verdict and table recorded on the
Validation row. A content that passed can be published (bank.authoring.exercise_publish).
"""

from __future__ import annotations

import logging
import math
import shutil
import tempfile
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from bank.authoring import UNFINISHED, audit_exercise, exercise_draft
from bank.draft_files import write_package
from bank.models import Exercise, Validation
from graders.package import ExerciseError, load_exercise
from graders.report import Verdict
from sandbox.gate import GateResult, check_exercise

log = logging.getLogger(__name__)

GATE_JOBS = 2  # gradings at once in one validation
# A validation still QUEUED or RUNNING after this is given up (its worker died): a new request
# runs it again instead of waiting for it forever. The task's own time limit stays below this.
STALE_AFTER = timedelta(hours=2)


def _give_up_stale(exercise: Exercise) -> None:
    Validation.objects.filter(
        exercise=exercise, status__in=UNFINISHED, created_at__lt=timezone.now() - STALE_AFTER
    ).update(
        status=Validation.Status.ERROR,
        problems=["the validation did not finish in time (a worker stopped?): validate again"],
        finished_at=timezone.now(),
    )


@transaction.atomic
def validation_request(*, exercise: Exercise, actor: AbstractBaseUser) -> Validation:
    """Validate the draft's current content: a QUEUED Validation holding a frozen copy of its
    files, handed to the `bank.validate_exercise` task once committed. A content that already
    passed, or is being validated, is not run again: that validation is returned."""
    draft = exercise_draft(exercise)
    _give_up_stale(exercise)
    existing = (
        exercise.validations.filter(
            content_hash=draft.content_hash,
            status__in=[Validation.Status.PASSED, *UNFINISHED],
        )
        .order_by("-id")
        .first()
    )
    if existing is not None:
        return existing
    validation = Validation.objects.create(
        exercise=exercise,
        content_hash=draft.content_hash,
        files=draft.files,
        requested_by=actor,
    )
    audit_exercise(exercise, actor, "exercise.validate", {"content_hash": draft.content_hash})
    transaction.on_commit(lambda: validation_enqueue(validation_id=validation.pk))
    return validation


def _time_limit_s(files: dict[str, str]) -> float:
    """Celery's soft limit for the gate on `files`: every grading's wall time plus start-up,
    GATE_JOBS at a time, kept under STALE_AFTER."""
    try:
        limits = tomllib.loads(files.get("exercise.toml", "")).get("limits", {})
        wall_s = float(limits.get("wall_time_s", 300))
    except (tomllib.TOMLDecodeError, AttributeError, TypeError, ValueError):
        wall_s = 300.0
    gradings = 5 + sum(path.startswith("mutants/") for path in files)
    rounds = math.ceil(gradings / GATE_JOBS)
    return min(rounds * (min(wall_s, 3600.0) + 60.0) + 60.0, STALE_AFTER.total_seconds() - 600)


def _queue(files: dict[str, str]) -> str:
    """Where the gate runs: a GPU worker for an exercise that requires a GPU."""
    try:
        limits = tomllib.loads(files.get("exercise.toml", "")).get("limits", {})
        return "gpu" if limits.get("gpu") == "required" else "cpu"
    except (tomllib.TOMLDecodeError, AttributeError):
        return "cpu"


def validation_enqueue(*, validation_id: int) -> bool:
    """Hand a QUEUED validation to the broker; if it cannot be reached the validation ends as
    ERROR saying so (the author validates again), never waiting forever."""
    from bank.tasks import validate_exercise  # tasks import this module: import late

    validation = Validation.objects.filter(id=validation_id).first()
    if validation is None or validation.status != Validation.Status.QUEUED:
        return False
    soft_limit_s = _time_limit_s(validation.files)
    try:
        validate_exercise.apply_async(
            args=[validation_id],
            queue=_queue(validation.files),
            soft_time_limit=soft_limit_s,
            time_limit=soft_limit_s + 60,
            retry=False,
        )
    except Exception as exc:  # kombu raises many kinds: any failure to publish is the same case
        log.warning("could not enqueue validation %s: %s", validation_id, exc)
        _finish(validation_id, Validation.Status.ERROR, [f"the task queue is unreachable: {exc}"])
        return False
    return True


def _finish(
    validation_id: int,
    status: str,
    problems: list[str],
    table: list[dict[str, Any]] | None = None,
) -> None:
    Validation.objects.filter(id=validation_id, status__in=UNFINISHED).update(
        status=status, problems=problems, table=table or [], finished_at=timezone.now()
    )


def validation_run(*, validation_id: int) -> str | None:
    """Run the gate on a QUEUED validation's files and record PASSED, FAILED (the gate's
    problems and its table) or ERROR (the package does not load, or the gate could not run).
    Idempotent: only the caller that moves it from QUEUED to RUNNING runs it; returns the
    status it recorded, or None when it was not this caller's to run."""
    taken = Validation.objects.filter(id=validation_id, status=Validation.Status.QUEUED).update(
        status=Validation.Status.RUNNING
    )
    if taken != 1:
        return None
    validation = Validation.objects.select_related("exercise").get(id=validation_id)
    home = Path(settings.VAR_DIR) / "validations"
    home.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix=f"{validation_id}-", dir=home))
    root = workdir / validation.exercise.slug
    try:
        write_package(validation.files, root)
        exercise = load_exercise(root)
        result = check_exercise(exercise, jobs=GATE_JOBS)
    except ExerciseError as exc:
        # Paths inside the temporary folder mean nothing to the author: name files relatively.
        problems = [problem.replace(f"{root}/", "") for problem in exc.problems]
        _finish(validation_id, Validation.Status.ERROR, problems)
        return Validation.Status.ERROR
    except Exception as exc:  # whatever it is, the validation must not stay RUNNING
        log.exception("validation %s: the gate could not run", validation_id)
        _finish(validation_id, Validation.Status.ERROR, [f"the gate could not run: {exc!r}"])
        return Validation.Status.ERROR
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    status = Validation.Status.PASSED if result.passed else Validation.Status.FAILED
    _finish(validation_id, status, result.problems, gate_table(result))
    return status


def gate_table(result: GateResult) -> list[dict[str, Any]]:
    """One row per grading of the gate: what it was, its verdict and score, what the gate
    expected of it ("ACCEPTED" or "rejected"), whether it got that, and which tests failed."""
    rows = []
    graded = [
        *((f"reference #{i}", r, True) for i, r in enumerate(result.reference, start=1)),
        *([("reference, public suite", result.public, True)] if result.public else []),
        *([("starter", result.starter, False)] if result.starter else []),
        *((f"mutant {name}", r, False) for name, r in sorted(result.mutants.items())),
    ]
    for label, report, accept in graded:
        accepted = report.verdict is Verdict.ACCEPTED
        failing = [t.name for t in report.tests if t.outcome.value != "passed"]
        rows.append(
            {
                "label": label,
                "verdict": report.verdict.value,
                "score": round(report.score, 1),
                "expected": "ACCEPTED" if accept else "rejected",
                "ok": accepted if accept else not accepted and report.gradable,
                "failing": failing[:10],
                "message": (report.message or "")[:500],
            }
        )
    return rows
