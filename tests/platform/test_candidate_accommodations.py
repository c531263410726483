"""What the interviewer's settings change on the candidate's side: extra time, a withdrawn
invitation, the submission limit, and the version an assessment pinned. Real database, Django's
test client."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client

from assessments.models import Invitation
from assessments.services import assessment_create, invitation_create
from bank.models import Exercise
from bank.services import exercise_sync_package
from submissions.models import Submission

pytestmark = pytest.mark.django_db

GOOD_DOUBLE = "def double(x):\n    return x + x\n"


def started(token: str) -> Client:
    client = Client()
    assert client.get(f"/a/{token}").status_code == 302
    assert client.post("/attempt/start").status_code == 302
    return client


def submit(client: Client, suite: str, step: int = 1):
    return client.post(
        f"/attempt/steps/{step}/submissions",
        json.dumps({"code": GOOD_DOUBLE, "suite": suite}),
        content_type="application/json",
    )


@pytest.fixture
def canary_assessment(bank):
    return assessment_create(
        title="Screen",
        duration_minutes=30,
        steps=[Exercise.objects.get(slug="canary")],
        max_submissions=2,
    )


def test_extra_minutes_are_added_to_the_candidates_clock_at_the_start(canary_assessment):
    invitation, token = invitation_create(
        assessment=canary_assessment,
        candidate_name="Ada",
        candidate_email="ada@example.com",
        extra_minutes=15,
    )
    started(token)
    invitation.refresh_from_db()
    assert invitation.deadline - invitation.started_at == timedelta(minutes=45)


def test_a_withdrawn_invitation_opens_nothing_and_says_so(canary_assessment):
    invitation, token = invitation_create(
        assessment=canary_assessment, candidate_name="Ada", candidate_email="ada@example.com"
    )
    Invitation.objects.filter(id=invitation.id).update(status=Invitation.Status.REVOKED)
    client = Client()
    response = client.get(f"/a/{token}")
    assert response.status_code == 410
    assert b"withdrawn" in response.content
    assert client.get("/attempt/").status_code == 403


def test_a_candidate_working_when_withdrawn_can_do_nothing_more(canary_assessment):
    invitation, token = invitation_create(
        assessment=canary_assessment, candidate_name="Ada", candidate_email="ada@example.com"
    )
    client = started(token)
    Invitation.objects.filter(id=invitation.id).update(status=Invitation.Status.REVOKED)
    refused = submit(client, "public")
    assert refused.status_code == 403, refused.content
    assert "withdrawn" in refused.json()["error"]
    assert Submission.objects.count() == 0


def test_the_submission_limit_counts_hidden_submits_and_leaves_runs_free(canary_assessment):
    _, token = invitation_create(
        assessment=canary_assessment, candidate_name="Ada", candidate_email="ada@example.com"
    )
    client = started(token)
    assert [submit(client, "hidden").status_code for _ in range(2)] == [201, 201]
    refused = submit(client, "hidden")
    assert refused.status_code == 409, refused.content
    assert "all 2 submissions" in refused.json()["error"]
    assert submit(client, "public").status_code == 201
    assert Submission.objects.filter(suite="hidden").count() == 2


def test_a_new_version_published_later_does_not_change_a_pinned_assessment(bank, tmp_path: Path):
    arith = Exercise.objects.get(slug="arith")
    pinned = arith.current_version
    assessment = assessment_create(title="Pinned", duration_minutes=30, steps=[arith])
    _, token = invitation_create(
        assessment=assessment, candidate_name="Ada", candidate_email="ada@example.com"
    )
    changed = tmp_path / "arith"
    shutil.copytree(bank / "arith", changed)
    statement = changed / "statement.md"
    statement.write_text(statement.read_text() + "\nA LATER SENTENCE.\n")
    newer, created = exercise_sync_package(path=changed)
    assert created and newer.number == pinned.number + 1
    arith.refresh_from_db()
    assert arith.current_version == newer

    client = started(token)
    page = client.get("/attempt/steps/1")
    assert page.status_code == 200
    assert b"A LATER SENTENCE" not in page.content
    assert submit(client, "public").status_code == 201
    assert Submission.objects.get().exercise_version == pinned
