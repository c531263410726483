"""What the candidate's browser receives about submissions: the report cut to what a candidate
may see (names only for hidden tests, never the diagnostics), or nothing of the hidden suite's
result when the assessment hides it."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from submissions.models import Submission


def submission_urls(submission: Submission) -> dict[str, str]:
    return {
        "url": reverse("candidate:submission", args=[submission.id]),
        "events_url": reverse("candidate:events", args=[submission.id]),
    }


def submission_summary(submission: Submission, *, show_hidden_results: bool) -> dict[str, Any]:
    """One line of the history."""
    hidden = submission.suite == Submission.Suite.HIDDEN and not show_hidden_results
    return {
        "id": str(submission.id),
        "suite": submission.suite,
        "status": submission.status,
        "verdict": None if hidden else submission.verdict,
        "score": None if hidden else submission.score,
        "created_at": submission.created_at.isoformat(),
        **submission_urls(submission),
    }


def submission_detail(submission: Submission, *, show_hidden_results: bool) -> dict[str, Any]:
    """The results panel: per-test outcomes and times, messages of visible tests only."""
    data = submission_summary(submission, show_hidden_results=show_hidden_results)
    report = submission.report or {}
    data["code"] = submission.code
    data["results_hidden"] = submission.suite == Submission.Suite.HIDDEN and not show_hidden_results
    if data["results_hidden"] or not submission.is_finished:
        return {**data, "message": None, "speed": None, "tests": []}
    speed = report.get("speed")
    data["message"] = report.get("message")
    data["speed"] = (
        {key: speed.get(key) for key in ("ratio", "ci_low", "ci_high")}
        if isinstance(speed, dict)
        else None
    )
    data["tests"] = [
        {
            "name": test.name,
            "description": test.description,
            "outcome": test.outcome,
            "duration_s": test.duration_s,
            "visible": test.visible,
            # The checker already withholds hidden messages; this keeps it so if one slipped.
            "message": test.message if test.visible else None,
            "is_speed": test.is_speed,
        }
        for test in submission.tests.all()
    ]
    return data
