"""Output shape of an invitation's report. The numbers come from assessments.reports (the
scoring rules) through assessments.candidate_report, as on the interviewer's report page."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api.serializers_invitations import InvitationOutput
from assessments.reports import StepState
from graders.report import Outcome
from submissions.models import Submission


class TestOutput(serializers.Serializer[Any]):
    name = serializers.CharField()
    outcome = serializers.ChoiceField(choices=[o.value for o in Outcome])
    points = serializers.FloatField()
    max_points = serializers.FloatField()


class ReportStepOutput(serializers.Serializer[Any]):
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["exercise", "question"])
    slug = serializers.CharField()
    title = serializers.CharField()
    weight = serializers.IntegerField()
    score = serializers.FloatField(help_text="0-100, one decimal")
    state = serializers.ChoiceField(choices=[s.value for s in StepState])
    verdict = serializers.ChoiceField(
        choices=Submission.VerdictChoice.choices,
        allow_null=True,
        help_text="exercises: the verdict of the counted submission (null: none, or a question)",
    )
    speed_ratio = serializers.FloatField(
        allow_null=True,
        help_text="reference time / candidate time of the counted submission (1 = as fast)",
    )
    submissions = serializers.IntegerField(
        allow_null=True, help_text="exercises: hidden-test submissions made (null: a question)"
    )
    tests = TestOutput(
        many=True,
        help_text="the counted submission's tests; empty when the assessment hides "
        "hidden-test results (show_hidden_results false)",
    )


class ReportOutput(serializers.Serializer[Any]):
    invitation = InvitationOutput()
    total = serializers.FloatField(help_text="weighted mean of the step scores, 0-100")
    provisional = serializers.BooleanField(help_text="some short answer is still to grade")
    time_spent_s = serializers.IntegerField(allow_null=True)
    steps = ReportStepOutput(many=True)
