"""Submissions and their per-test results.

A submission's status moves QUEUED -> RUNNING -> GRADED (or FAILED when it could not be graded
after the allowed attempts) only through guarded UPDATEs in `submissions.services`, so that two
graders (a redelivered task, a sweeper) can never both record a result.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from bank.models import ExerciseVersion
from graders.report import Outcome, Verdict


class Submission(models.Model):
    class Status(models.TextChoices):
        QUEUED = "QUEUED"
        RUNNING = "RUNNING"
        GRADED = "GRADED"
        FAILED = "FAILED"  # could not be graded (infrastructure): never counted against anyone

    VerdictChoice = models.TextChoices("VerdictChoice", [(v.name, v.value) for v in Verdict])

    class Suite(models.TextChoices):
        HIDDEN = "hidden"
        PUBLIC = "public"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    exercise_version = models.ForeignKey(
        ExerciseVersion, on_delete=models.PROTECT, related_name="submissions"
    )
    code = models.TextField()
    suite = models.CharField(max_length=10, choices=Suite.choices, default=Suite.HIDDEN)
    # A re-grade: the same owner's code graded again against a newer version of the exercise
    # (its hidden tests fixed). The original keeps its result; reports prefer a graded re-grade.
    regrade_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="regrades"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    verdict = models.CharField(max_length=30, choices=VerdictChoice.choices, null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    failure_reason = models.TextField(blank=True, default="")
    # Every claim by a grader counts (worker deaths included); bounded by GRADING_MAX_ATTEMPTS.
    attempts = models.PositiveIntegerField(default=0)
    sandbox_errors = models.PositiveIntegerField(default=0)
    # The current (or last) attempt: its sandbox job (the label of its containers), the worker
    # that holds it, and until when that claim is good.
    sandbox_job_id = models.CharField(max_length=32, blank=True, default="")
    claimed_by = models.CharField(max_length=200, blank=True, default="")
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # When it was last handed to the broker; null while it still has to be (Redis was down).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.GRADED, self.Status.FAILED)


class SubmissionTest(models.Model):
    """One test's result, as the report allows (no message for hidden tests)."""

    OutcomeChoice = models.TextChoices("OutcomeChoice", [(o.name, o.value) for o in Outcome])

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="tests")
    position = models.PositiveIntegerField()
    nodeid = models.CharField(max_length=500)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    outcome = models.CharField(max_length=10, choices=OutcomeChoice.choices)
    weight = models.FloatField()
    points = models.FloatField()
    max_points = models.FloatField()
    duration_s = models.FloatField()
    visible = models.BooleanField()
    message = models.TextField(null=True, blank=True)
    is_speed = models.BooleanField(default=False)

    class Meta:
        ordering = ["submission", "position"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "nodeid"], name="one_result_per_test")
        ]
