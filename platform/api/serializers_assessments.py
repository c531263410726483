"""Output shapes of the assessments endpoints."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.selectors import assessment_step_summaries
from api.times import UtcDateTimeField
from assessments.models import Assessment


class StepOutput(serializers.Serializer[Any]):
    position = serializers.IntegerField(help_text="1-based, in the order the candidate sees")
    kind = serializers.ChoiceField(choices=["exercise", "question"])
    slug = serializers.CharField()
    title = serializers.CharField()
    version = serializers.IntegerField(
        allow_null=True, help_text="the version candidates get (pinned when the step was added)"
    )
    weight = serializers.IntegerField(help_text="the step's share: weight / sum of the weights")


class AssessmentOutput(serializers.Serializer[Assessment]):
    id = serializers.IntegerField()
    title = serializers.CharField()
    duration_minutes = serializers.IntegerField()
    show_hidden_results = serializers.BooleanField(
        help_text="whether candidates see the verdicts of their hidden-test submissions"
    )
    max_submissions = serializers.IntegerField(
        allow_null=True, help_text="hidden-test submissions allowed per exercise (null: no limit)"
    )
    steps = serializers.SerializerMethodField()
    created_at = UtcDateTimeField()

    @extend_schema_field(StepOutput(many=True))
    def get_steps(self, assessment: Assessment) -> list[dict[str, Any]]:
        return [asdict(step) for step in assessment_step_summaries(assessment)]


class AssessmentPageOutput(serializers.Serializer[Any]):
    results = AssessmentOutput(many=True)
    next = serializers.URLField(allow_null=True, help_text="the next (older) page, or null")
    previous = serializers.URLField(allow_null=True, help_text="the previous page, or null")
