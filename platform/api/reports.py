"""An invitation's report for a hiring system: the candidate report of the interviewer's page
(assessments.candidate_report, which follows the scoring rules of assessments.reports) as
plain data, shaped by api.serializers_reports.ReportOutput."""

from __future__ import annotations

from typing import Any

from api.selectors import step_summary
from assessments.candidate_report import ExerciseStep, candidate_report
from assessments.models import Assessment, Invitation
from submissions.models import Submission, SubmissionTest


def _tests(tests: list[SubmissionTest], assessment: Assessment) -> list[dict[str, Any]]:
    """The per-test summary the assessment's visibility allows: every test when hidden-test
    results are shown, else only the tests marked visible (none of the hidden suite)."""
    return [
        {
            "name": test.name,
            "outcome": test.outcome,
            "points": test.points,
            "max_points": test.max_points,
        }
        for test in tests
        if assessment.show_hidden_results or test.visible
    ]


def _exercise(section: ExerciseStep, assessment: Assessment) -> dict[str, Any]:
    counted = section.counted
    speed = counted.speed if counted is not None else None
    submits = [
        entry
        for entry in section.submissions
        if entry.submission.suite == Submission.Suite.HIDDEN
        and entry.submission.regrade_of_id is None
    ]
    return {
        "verdict": counted.submission.verdict if counted is not None else None,
        "speed_ratio": speed.ratio if speed is not None else None,
        "submissions": len(submits),
        "tests": _tests(counted.tests, assessment) if counted is not None else [],
    }


def _question() -> dict[str, Any]:
    return {
        "verdict": None,
        "speed_ratio": None,
        "submissions": None,
        "tests": [],
    }


def invitation_report(invitation: Invitation) -> dict[str, Any]:
    """Total, provisional flag, time spent and, per step, score, state, verdict, speed ratio,
    submissions made and tests (as visibility allows). A bounded number of queries."""
    report = candidate_report(invitation)
    row = report.row
    steps = []
    for section in report.steps:
        step = section.step
        shape = (
            _exercise(section, invitation.assessment)
            if isinstance(section, ExerciseStep)
            else _question()
        )
        summary = step_summary(step.item)
        steps.append(
            {
                "position": summary.position,
                "kind": summary.kind,
                "slug": summary.slug,
                "title": summary.title,
                "weight": summary.weight,
                "score": round(step.score, 1),
                "state": str(step.state),
                **shape,
            }
        )
    return {
        "invitation": invitation,
        "total": row.total,
        "provisional": row.provisional,
        "time_spent_s": (
            round(row.time_spent.total_seconds()) if row.time_spent is not None else None
        ),
        "steps": steps,
    }
