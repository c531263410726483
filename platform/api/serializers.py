"""Input and output shapes of the API. Output serializers list their fields explicitly: nothing
of an exercise's hidden tests, mutants or reference (ExerciseVersion.package) can slip out."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from bank.models import Exercise, Question
from submissions.models import Submission, SubmissionTest
from submissions.progress import progress_events, progress_summary


class ExerciseListOutput(serializers.Serializer[Exercise]):
    slug = serializers.CharField()
    title = serializers.CharField(source="current_version.title")
    difficulty = serializers.CharField(source="current_version.difficulty")
    tags = serializers.ListField(child=serializers.CharField(), source="current_version.tags")
    gpu = serializers.CharField(source="current_version.gpu")
    version = serializers.IntegerField(source="current_version.number")


class ExerciseDetailOutput(ExerciseListOutput):
    content_hash = serializers.CharField(source="current_version.content_hash")
    statement = serializers.CharField(source="current_version.statement")
    starter = serializers.CharField(source="current_version.starter")
    public_tests = serializers.DictField(
        child=serializers.CharField(), source="current_version.public_tests"
    )
    limits = serializers.DictField(source="current_version.limits")
    scoring = serializers.DictField(source="current_version.scoring")


class QuestionListOutput(serializers.Serializer[Question]):
    """What anyone may see of a question: never `answer`, explanations, model answers, rubric."""

    slug = serializers.CharField()
    kind = serializers.CharField(source="current_version.kind")
    topic = serializers.CharField(source="current_version.topic")
    difficulty = serializers.CharField(source="current_version.difficulty")
    tags = serializers.ListField(child=serializers.CharField(), source="current_version.tags")
    points = serializers.IntegerField(source="current_version.points")
    languages = serializers.ListField(
        child=serializers.CharField(), source="current_version.languages"
    )
    version = serializers.IntegerField(source="current_version.number")


class QuestionDetailOutput(QuestionListOutput):
    """The question in one language (`language` in the serializer context)."""

    language = serializers.SerializerMethodField()
    prompt = serializers.SerializerMethodField()
    choices = serializers.SerializerMethodField(
        help_text="single/multiple: the options, in order (answers are their 0-based indices)"
    )

    def get_language(self, question: Question) -> str:
        return str(self.context["language"])

    def get_prompt(self, question: Question) -> str:
        version = question.current_version
        assert version is not None  # question_list() only returns questions with a version
        return str(version.texts[self.context["language"]]["prompt"])

    def get_choices(self, question: Question) -> list[str] | None:
        version = question.current_version
        assert version is not None
        if version.kind == "short":
            return None
        return list(version.choices[self.context["language"]])


class StrictCharField(serializers.CharField):
    """A string, and only a string: DRF's CharField would take 42 and make it "42"."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class SubmissionCreateInput(serializers.Serializer[Any]):
    exercise = serializers.SlugField(help_text="the exercise's slug")
    code = StrictCharField(
        allow_blank=True,
        trim_whitespace=False,
        help_text="the candidate's solution.py, at most 256 KB",
    )
    suite = serializers.ChoiceField(
        choices=Submission.Suite.values,
        default="hidden",
        help_text="hidden (scored) or public (the visible tests)",
    )


class SubmissionTestOutput(serializers.ModelSerializer[SubmissionTest]):
    class Meta:
        model = SubmissionTest
        fields = [
            "name",
            "description",
            "outcome",
            "weight",
            "points",
            "max_points",
            "duration_s",
            "visible",
            "message",
            "is_speed",
        ]


class SubmissionOutput(serializers.ModelSerializer[Submission]):
    exercise = serializers.CharField(source="exercise_version.exercise.slug")
    exercise_version = serializers.IntegerField(source="exercise_version.number")

    class Meta:
        model = Submission
        fields = [
            "id",
            "exercise",
            "exercise_version",
            "suite",
            "status",
            "verdict",
            "score",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
        ]


class SubmissionDetailOutput(SubmissionOutput):
    tests = SubmissionTestOutput(many=True)
    message = serializers.SerializerMethodField()
    speed = serializers.SerializerMethodField()
    resources = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()

    class Meta(SubmissionOutput.Meta):
        fields = [
            *SubmissionOutput.Meta.fields,
            "code",
            "message",
            "speed",
            "resources",
            "tests",
            "progress",
        ]

    def _report(self, submission: Submission) -> dict[str, Any]:
        return submission.report or {}

    def get_message(self, submission: Submission) -> str | None:
        if submission.status == Submission.Status.FAILED:
            return submission.failure_reason or None
        message = self._report(submission).get("message")
        return str(message) if message else None

    def get_speed(self, submission: Submission) -> dict[str, Any] | None:
        speed = self._report(submission).get("speed")
        return dict(speed) if isinstance(speed, dict) else None

    def get_resources(self, submission: Submission) -> dict[str, Any] | None:
        resources = self._report(submission).get("resources")
        return dict(resources) if isinstance(resources, dict) else None

    def get_progress(self, submission: Submission) -> dict[str, Any] | None:
        """While it runs: tests collected, finished so far (names and outcomes), running now."""
        if submission.status != Submission.Status.RUNNING:
            return None
        return progress_summary(progress_events(str(submission.id)))
