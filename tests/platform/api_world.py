"""Builders shared by the API resource tests (test_api_assessments, test_api_invitations,
test_api_reports, test_api_org_submissions): assessments, invitations in a given state and
submissions as grading leaves them, written straight to the test database."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from accounts.models import Organization
from assessments.models import Answer, Assessment, Invitation
from assessments.services import assessment_create, invitation_create
from bank.models import Exercise, Question
from bank.services import _make_current, exercise_version_from_package
from graders.package import load_exercise
from submissions.models import Submission, SubmissionTest


def organization(slug: str) -> Organization:
    found, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": slug.title()})
    return found


def build(org_slug: str = "acme", title: str = "ML screen", **settings: Any) -> Assessment:
    """An assessment of the organization: arith (weight 2), kmeans, a single-choice question
    (2 points, key [1]) and a short-answer question (3 points)."""
    return assessment_create(
        organization=organization(org_slug),
        title=title,
        duration_minutes=60,
        steps=[
            (Exercise.objects.get(slug="arith"), 2),
            Exercise.objects.get(slug="kmeans"),
            Question.objects.get(slug="early-stopping-signal"),
            Question.objects.get(slug="loss-scaling-why"),
        ],
        **settings,
    )


def invite(
    assessment: Assessment,
    name: str = "Ada Lovelace",
    *,
    status: str = Invitation.Status.INVITED,
    external_id: str = "",
    minutes_ago: float = 0,
) -> Invitation:
    """An invitation; a non-INVITED `status` is set as the candidate's actions leave it (started
    two hours ago with a 60-minute clock: a STARTED one gets a deadline still ahead)."""
    invitation, _ = invitation_create(
        assessment=assessment,
        candidate_name=name,
        candidate_email=f"{name.split()[0].lower()}@candidates.test",
    )
    now = timezone.now()
    changes: dict[str, Any] = {"external_id": external_id}
    if minutes_ago:
        changes["created_at"] = now - timedelta(minutes=minutes_ago)
    if status == Invitation.Status.EXPIRED:
        changes.update(status=status, expires_at=now - timedelta(days=1))
    elif status != Invitation.Status.INVITED:
        start = now - timedelta(hours=2)
        changes.update(status=status, started_at=start, deadline=start + timedelta(minutes=60))
        if status == Invitation.Status.STARTED:
            changes["deadline"] = now + timedelta(minutes=30)
        else:
            changes["finished_at"] = start + timedelta(minutes=42)
    Invitation.objects.filter(id=invitation.id).update(**changes)
    invitation.refresh_from_db()
    return invitation


def submit(
    invitation: Invitation,
    slug: str,
    score: float,
    *,
    status: str = Submission.Status.GRADED,
    suite: str = Submission.Suite.HIDDEN,
    speed: float | None = None,
    minutes_ago: float = 30,
) -> Submission:
    """A submission of the candidate as grading leaves it: two tests (the second passes only
    at 100), hidden ones unless `suite` is public."""
    graded = status == Submission.Status.GRADED
    verdict = "ACCEPTED" if score >= 100 else "WRONG_ANSWER"
    report: dict[str, Any] = {"verdict": verdict, "score": score, "tests": [], "speed": None}
    if speed is not None:
        report["speed"] = {"ratio": speed, "ci_low": speed * 0.9, "ci_high": speed * 1.1}
    exercise = Exercise.objects.get(slug=slug)
    submission = Submission.objects.create(
        owner=invitation.candidate,
        exercise_version=exercise.current_version,
        code="def f():\n    return 1\n",
        suite=suite,
        status=status,
        verdict=verdict if graded else None,
        score=score if graded else None,
        report=report if graded else None,
    )
    Submission.objects.filter(id=submission.id).update(
        created_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    if graded:
        for position, outcome in enumerate(["passed", "passed" if score >= 100 else "failed"]):
            SubmissionTest.objects.create(
                submission=submission,
                position=position,
                nodeid=f"tests/{suite}/test_it.py::test_{position}",
                name=f"test_{position}",
                outcome=outcome,
                weight=1,
                points=50 if outcome == "passed" else 0,
                max_points=50,
                duration_s=0.25,
                visible=suite == Submission.Suite.PUBLIC,
            )
    submission.refresh_from_db()
    return submission


def answer(invitation: Invitation, slug: str, *, choices: Any = (), text: str = "") -> Answer:
    question = Question.objects.get(slug=slug)
    return Answer.objects.create(
        invitation=invitation,
        item=invitation.assessment.items.get(question=question),
        question_version=question.current_version,
        choices=list(choices),
        text=text,
        saved_at=timezone.now(),
    )


def own_exercise(bank: Path, tmp_path: Path, owner: Organization, slug: str) -> Exercise:
    """A copy of the bank's arith owned by `owner` (not in the shared bank) under `slug`."""
    folder = tmp_path / slug
    shutil.copytree(bank / "arith", folder)
    toml = folder / "exercise.toml"
    toml.write_text(toml.read_text().replace('slug = "arith"', f'slug = "{slug}"'))
    exercise = Exercise.objects.create(slug=slug, organization=owner)
    version, _ = exercise_version_from_package(exercise=exercise, package=load_exercise(folder))
    _make_current(exercise, version)
    return exercise
