"""Assessments (an ordered list of exercises and questions against a clock), the invitations
that open them, and what a candidate leaves behind: drafts of code and answers to questions.

An invitation's status moves INVITED -> STARTED -> SUBMITTED, or INVITED -> EXPIRED, only
through guarded UPDATEs in `assessments.services`; the deadline is fixed by the first start and
never moves.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from bank.models import Exercise, ExerciseVersion, Question, QuestionVersion


class Assessment(models.Model):
    # Null only for assessments made before organizations (reachable from the admin alone).
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True, default="", help_text="Markdown shown before the start")
    duration_minutes = models.PositiveIntegerField()
    show_hidden_results = models.BooleanField(
        default=True, help_text="Whether candidates see the verdict of their hidden-test submits"
    )
    max_submissions = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Hidden-test submits allowed per exercise (empty: no limit)",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class AssessmentItem(models.Model):
    """One step of an assessment: an exercise or a question (exactly one of them)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    exercise = models.ForeignKey(Exercise, null=True, blank=True, on_delete=models.PROTECT)
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.PROTECT)
    # The version candidates get, pinned when the step is added: publishing a new version of
    # the exercise does not change a running assessment. Null only on steps made before pinning
    # (they follow the current version).
    exercise_version = models.ForeignKey(
        ExerciseVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    question_version = models.ForeignKey(
        QuestionVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The step's share of the total score: weight / sum of the assessment's weights.
    weight = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["assessment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "position"], name="item_position"),
            models.CheckConstraint(
                condition=Q(exercise__isnull=False, question__isnull=True)
                | Q(exercise__isnull=True, question__isnull=False),
                name="item_is_exercise_xor_question",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}#{self.position} {self.exercise or self.question}"

    @property
    def is_exercise(self) -> bool:
        return self.exercise_id is not None

    @property
    def pinned_exercise_version(self) -> ExerciseVersion | None:
        """The exercise version candidates are graded against."""
        if self.exercise_version_id is not None:
            return self.exercise_version
        return self.exercise.current_version if self.exercise is not None else None

    @property
    def pinned_question_version(self) -> QuestionVersion | None:
        """The question version candidates are shown."""
        if self.question_version_id is not None:
            return self.question_version
        return self.question.current_version if self.question is not None else None


def token_hash(token: str) -> str:
    """How a token is stored: a SHA-256 is enough for 256 random bits (nothing to brute-force)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Invitation(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited"
        STARTED = "started"
        SUBMITTED = "submitted"
        EXPIRED = "expired"
        REVOKED = "revoked"  # withdrawn by the interviewer: the link opens nothing

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="invitations")
    candidate_name = models.CharField(max_length=200)
    candidate_email = models.EmailField()
    # The account that owns the candidate's submissions (no password: the token is the login).
    candidate = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitation"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(help_text="The link stops working then, unless started")
    # An accommodation: added to the assessment's duration when the candidate starts.
    extra_minutes = models.PositiveIntegerField(default=0)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # From a hiring system (REST API): its own id for the candidate, and where it wants to be
    # told about this invitation (a signed POST per event, like a webhook).
    external_id = models.CharField(max_length=200, blank=True, default="", db_index=True)
    callback_url = models.URLField(max_length=1000, blank=True, default="")
    last_sent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    started_at = models.DateTimeField(null=True, blank=True)
    deadline = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finish_reason = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.candidate_name} <{self.candidate_email}> ({self.status})"

    def link_expired(self, now: datetime) -> bool:
        return self.status == self.Status.INVITED and now >= self.expires_at

    def time_is_up(self, now: datetime) -> bool:
        return self.deadline is not None and now >= self.deadline

    def accepts_work(self, now: datetime) -> bool:
        """Whether drafts, answers and submissions are taken now (started, before the deadline)."""
        return self.status == self.Status.STARTED and not self.time_is_up(now)


class Draft(models.Model):
    """The editor's latest code for one exercise of an attempt (autosaved)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="drafts")
    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="+")
    code = models.TextField()
    saved_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitation", "item"], name="one_draft")]


class Answer(models.Model):
    """The candidate's answer to one question, against the version they were shown."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(AssessmentItem, on_delete=models.CASCADE, related_name="+")
    question_version = models.ForeignKey(
        QuestionVersion, on_delete=models.PROTECT, related_name="candidate_answers"
    )
    choices = models.JSONField(default=list)  # selected choice indices (choice kinds)
    text = models.TextField(blank=True, default="")  # short answers
    saved_at = models.DateTimeField()
    # A short answer's grade, given by a reviewer against the rubric (choice kinds score
    # themselves: QuestionVersion.score).
    awarded_points = models.FloatField(null=True, blank=True)
    reviewer_comment = models.TextField(blank=True, default="")
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["invitation", "item"], name="one_answer")]
