"""The exercise bank in the database: an Exercise per slug, an immutable ExerciseVersion per
content of its package. A submission points at the version it was made against and is graded
against exactly that, whatever the folder on disk says later. Interview questions work the same
way: a Question per slug, an immutable QuestionVersion per content of its file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from bank.question_files import KINDS, score_choices
from graders.package import DIFFICULTIES, GPU_MODES


class ImmutableVersionError(Exception):
    """An ExerciseVersion or QuestionVersion was about to be changed after creation."""


class BankEntry(models.Model):
    """What an exercise and a question share: a slug, whether it is open, timestamps. Each
    points at its current version (a foreign key of its own kind)."""

    slug = models.SlugField(max_length=100, unique=True)
    # False once its file has left the bank: nothing new is made against it, old answers and
    # submissions keep their version.
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class ImmutableVersion(models.Model):
    """One content of a bank entry, numbered 1, 2, ... and never changed once created."""

    number = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableVersionError(
                f"{self._meta.verbose_name} {self} cannot change once created"
            )
        super().save(*args, **kwargs)


class Exercise(BankEntry):
    # None: the shared bank (exercises/ on disk), readable by every organization. Otherwise
    # authored in the browser by that organization and visible to it alone.
    organization = models.ForeignKey(
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exercises",
    )
    current_version = models.ForeignKey(
        "ExerciseVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    @property
    def accepts_submissions(self) -> bool:
        return self.is_active and self.current_version_id is not None


class ExerciseVersion(ImmutableVersion):
    Difficulty = models.TextChoices("Difficulty", [(d.upper(), d) for d in DIFFICULTIES])
    Gpu = models.TextChoices("Gpu", [(g.upper(), g) for g in GPU_MODES])

    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="versions")
    title = models.CharField(max_length=200)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    tags = models.JSONField(default=list)
    gpu = models.CharField(max_length=10, choices=Gpu.choices, default="none")
    limits = models.JSONField(default=dict)
    scoring = models.JSONField(default=dict)
    statement = models.TextField()
    starter = models.TextField()
    public_tests = models.JSONField(default=dict)  # file name -> source, shown to candidates
    # The whole package (hidden tests and reference included) as a gzipped tar: what grading
    # unpacks. Never serialized by the API.
    package = models.BinaryField()

    class Meta:
        ordering = ["exercise__slug", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["exercise", "number"], name="version_number_unique"),
            models.UniqueConstraint(
                fields=["exercise", "content_hash"], name="version_hash_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exercise_id}@{self.number} ({self.content_hash[:12]})"

    @property
    def queue(self) -> str:
        """The Celery queue that grades it: only GPU-required exercises need a GPU worker."""
        return "gpu" if self.gpu == "required" else "cpu"

    @property
    def wall_time_s(self) -> float:
        return float(self.limits.get("wall_time_s", 300.0))


class Question(BankEntry):
    """An interview question of the bank (exercises/questions/<slug>.toml)."""

    organization = models.ForeignKey(  # as Exercise.organization
        "accounts.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="questions",
    )
    current_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class QuestionVersion(ImmutableVersion):
    """One content of a question, immutable: answers point at the version they were given to.

    `answer`, `texts[*].explanation`, `texts[*].model_answer` and `rubric` are the key: only
    interviewers see them, never a candidate (api.serializers lists what may go out)."""

    Kind = models.TextChoices("Kind", [(k.upper(), k) for k in KINDS])

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="versions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    topic = models.CharField(max_length=40)
    difficulty = models.CharField(max_length=10)
    tags = models.JSONField(default=list)
    points = models.PositiveIntegerField()
    answer = models.JSONField(default=list)  # keyed choice indices
    texts = models.JSONField(default=dict)  # language -> {prompt, explanation | model_answer}
    choices = models.JSONField(default=dict)  # language -> [choice, ...]
    rubric = models.JSONField(default=list)  # [{points, criterion: {language: text}}]

    class Meta:
        ordering = ["question__slug", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "number"], name="question_version_number_unique"
            ),
            models.UniqueConstraint(
                fields=["question", "content_hash"], name="question_version_hash_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id}@{self.number} ({self.content_hash[:12]})"

    @property
    def languages(self) -> list[str]:
        return sorted(self.texts)

    def score(self, selected: list[int]) -> float:
        """Points for a candidate's selected choices (choice kinds only; see score_choices)."""
        return score_choices(self.kind, tuple(self.answer), self.points, selected)


class ExerciseDraft(models.Model):
    """The working copy of an organization's exercise, edited in the browser: every file of the
    package (exercises/README.md's format) by its relative path. Publishing turns a validated
    content of it into a new ExerciseVersion; the draft itself stays editable."""

    exercise = models.OneToOneField(Exercise, on_delete=models.CASCADE, related_name="draft")
    files = models.JSONField(
        default=dict
    )  # "statement.md" -> text, "tests/hidden/test_x.py" -> text
    content_hash = models.CharField(max_length=64)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"draft of {self.exercise_id} ({self.content_hash[:12]})"


class Validation(models.Model):
    """One run of the authoring gate on one content of a draft (sandbox.gate through Celery).
    Only a content whose validation PASSED can be published."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        PASSED = "passed"
        FAILED = "failed"  # the gate refused it: `problems` says why
        ERROR = "error"  # the gate could not run (package invalid, sandbox down): `problems`

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="validations")
    content_hash = models.CharField(max_length=64)
    files = models.JSONField(default=dict)  # the content validated, frozen
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    problems = models.JSONField(default=list)  # the gate's reasons to refuse
    table = models.JSONField(default=list)  # [{label, verdict, score, expected, ok}]
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"validation of {self.exercise_id} {self.content_hash[:12]}: {self.status}"
