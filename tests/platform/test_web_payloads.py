"""What the candidate's browser receives about a graded submission (web.payloads)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from assessments.services import assessment_create, invitation_create
from bank.models import Exercise
from submissions.models import Submission, SubmissionTest
from web.payloads import submission_detail

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(bank):
    exercise = Exercise.objects.get(slug="canary")
    assessment = assessment_create(title="T", duration_minutes=5, steps=[exercise])
    invitation, _ = invitation_create(
        assessment=assessment, candidate_name="A", candidate_email="a@example.com"
    )
    submission = Submission.objects.create(
        owner=invitation.candidate,
        exercise_version=exercise.current_version,
        code="def double(x):\n    return 2 * x\n",
        suite=Submission.Suite.HIDDEN,
        status=Submission.Status.GRADED,
        verdict="WRONG_ANSWER",
        score=50.0,
        report={"message": None, "speed": {"ratio": 1.5, "ci_low": 1.2, "ci_high": 1.9, "n": 7}},
        finished_at=timezone.now(),
    )
    for position, (name, visible, message) in enumerate(
        [("test_public", True, "assert 3 == 4"), ("test_hidden", False, "secret expected 42")]
    ):
        SubmissionTest.objects.create(
            submission=submission,
            position=position,
            nodeid=name,
            name=name,
            outcome="failed",
            weight=1,
            points=0,
            max_points=50,
            duration_s=0.01,
            visible=visible,
            message=message,
        )
    return submission


def test_hidden_tests_show_their_names_and_never_a_message(graded):
    data = submission_detail(graded, show_hidden_results=True)
    assert data["verdict"] == "WRONG_ANSWER" and data["score"] == 50.0
    assert data["speed"] == {"ratio": 1.5, "ci_low": 1.2, "ci_high": 1.9}
    by_name = {t["name"]: t for t in data["tests"]}
    assert by_name["test_public"]["message"] == "assert 3 == 4"
    assert by_name["test_hidden"]["message"] is None
    assert "secret expected 42" not in str(data)


def test_an_assessment_that_hides_results_shows_no_verdict_score_or_tests(graded):
    data = submission_detail(graded, show_hidden_results=False)
    assert data["results_hidden"] is True
    assert data["verdict"] is None and data["score"] is None and data["tests"] == []
    assert data["speed"] is None and data["code"] == graded.code
