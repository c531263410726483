"""Celery tasks of the bank: thin wrappers that take ids and call services (bank.validation)."""

from __future__ import annotations

from celery import shared_task

from bank.validation import validation_run


@shared_task(name="bank.validate_exercise", acks_late=True, reject_on_worker_lost=False)
def validate_exercise(validation_id: int) -> str:
    """Run the authoring gate on one validation (idempotent: a redelivered message finds it no
    longer QUEUED and does nothing). A worker lost mid-run is not redelivered: the validation
    is given up after bank.validation.STALE_AFTER and the author validates again."""
    return validation_run(validation_id=validation_id) or "skipped"
