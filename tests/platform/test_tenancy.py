"""Tenancy: a member of organization B, or an API key of B, reaches nothing of organization A.

Every URL pattern of the interviewer's pages and of the API is walked (not a hand-picked few):
each parameter is filled with one of A's objects, and B's owner (B's API key, for the API) gets
a 404 for every method the URL answers, while A's owner (A's key) reaches the same URL. Pages
without parameters (lists, search, plots) must not show any of A's names. A URL parameter this
test does not know fails the test: a new page cannot escape the walk."""

from __future__ import annotations

import base64
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.api_keys import api_key_create
from accounts.audit import audit_record
from accounts.models import Membership
from api.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from assessments.models import Answer, Invitation
from assessments.services import assessment_create, invitation_create
from bank.models import Exercise, ExerciseDraft, Question, QuestionVersion, Validation
from bank.services import _make_current, exercise_version_from_package
from graders.package import load_exercise
from submissions.models import Submission, SubmissionTest

pytestmark = pytest.mark.django_db

# Strings that name A's objects: none may appear on any page B can open.
A_SECRETS = {
    "exercise": "acme-secret-exercise",
    "title": "Acme Secret Assessment",
    "candidate": "Zebulon Acmeson",
    "email": "zebulon@candidates.test",
    "member": "author@acme.test",
    "question": "acme-secret-question",
}
PATTERN_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(namespace, route) of every URL pattern, includes followed."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from walk(pattern.url_patterns, route, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            yield namespace, route


def _acme_exercise(bank: Path, tmp_path: Path, organization: Any) -> Exercise:
    folder = tmp_path / A_SECRETS["exercise"]
    shutil.copytree(bank / "arith", folder)
    toml = folder / "exercise.toml"
    toml.write_text(toml.read_text().replace('slug = "arith"', f'slug = "{folder.name}"'))
    package = load_exercise(folder)
    exercise = Exercise.objects.create(slug=folder.name, organization=organization)
    version, _ = exercise_version_from_package(exercise=exercise, package=package)
    _make_current(exercise, version)
    files = {"statement.md": "# secret", "exercise.toml": toml.read_text()}
    ExerciseDraft.objects.create(exercise=exercise, files=files, content_hash="0" * 64)
    return exercise


def _acme_question(organization: Any) -> Question:
    """A copy of a shared short-answer question, owned by `organization`."""
    shared = Question.objects.get(slug="imbalance-remedies").current_version
    question = Question.objects.create(slug="acme-secret-question", organization=organization)
    version = QuestionVersion.objects.create(
        question=question,
        number=1,
        content_hash=shared.content_hash,
        kind=shared.kind,
        topic=shared.topic,
        difficulty=shared.difficulty,
        tags=shared.tags,
        points=shared.points,
        answer=shared.answer,
        texts=shared.texts,
        choices=shared.choices,
        rubric=shared.rubric,
    )
    _make_current(question, version)
    return question


@pytest.fixture
def world(bank: Path, tmp_path: Path, make_member: Any) -> dict[str, Any]:
    """Organization A with one of everything; B's owner; the value of every URL parameter."""
    a_owner = make_member("acme", "owner")
    a_author = make_member("acme", "author")
    b_owner = make_member("bravo", "owner")
    acme = a_owner.organization
    exercise = _acme_exercise(bank, tmp_path, acme)
    question = _acme_question(acme)
    assessment = assessment_create(
        organization=acme,
        title=A_SECRETS["title"],
        duration_minutes=30,
        steps=[exercise, question],
    )
    invitation, _ = invitation_create(
        assessment=assessment,
        candidate_name=A_SECRETS["candidate"],
        candidate_email=A_SECRETS["email"],
    )
    other, _ = invitation_create(
        assessment=assessment, candidate_name="Other Acmeson", candidate_email="o@candidates.test"
    )
    now = timezone.now()
    Invitation.objects.filter(id__in=[invitation.id, other.id]).update(
        status=Invitation.Status.SUBMITTED, started_at=now, deadline=now, finished_at=now
    )
    items = list(assessment.items.order_by("position"))
    submissions = []
    for who in (invitation, other):
        submission = Submission.objects.create(
            owner=who.candidate,
            exercise_version=exercise.current_version,
            code="def add(a, b):\n    return a + b\n",
            status=Submission.Status.GRADED,
            verdict="ACCEPTED",
            score=100.0,
            report={"verdict": "ACCEPTED", "score": 100.0, "tests": []},
        )
        SubmissionTest.objects.create(
            submission=submission,
            position=0,
            nodeid="tests/hidden/test_x.py::test_add",
            name="test_add",
            outcome="passed",
            weight=1,
            points=1,
            max_points=1,
            duration_s=0.1,
            visible=False,
        )
        submissions.append(submission)
    answer = Answer.objects.create(
        invitation=invitation,
        item=items[1],
        question_version=question.current_version,
        text="Resample the minority class.",
        saved_at=now,
    )
    validation = Validation.objects.create(
        exercise=exercise, content_hash="0" * 64, status=Validation.Status.FAILED
    )
    audit_record(organization=acme, actor=a_owner.membership.user, action="x", target=assessment)
    a_key, a_raw = api_key_create(
        organization=acme, name="Acme's ATS", scopes=["admin"], actor=a_owner.membership.user
    )
    _, b_raw = api_key_create(
        organization=b_owner.organization, name="Bravo's ATS", scopes=["admin"], actor=None
    )
    endpoint = WebhookEndpoint.objects.create(
        organization=acme,
        url="https://ats.acme.test/hooks",
        events=["invitation.submitted"],
        secret="whsec_acme",
    )
    event = WebhookEvent.objects.create(
        organization=acme,
        type="invitation.submitted",
        payload={"id": str(invitation.id), "candidate_name": A_SECRETS["candidate"]},
    )
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, sequence=1)
    values = {
        "assessment_id": assessment.id,
        "invitation_id": invitation.id,
        "other_invitation_id": other.id,
        "item_id": items[1].id,
        "exercise_slug": exercise.slug,
        "question_slug": question.slug,
        "submission_id": submissions[0].id,
        "validation_id": validation.id,
        "member_id": Membership.objects.get(user=a_author.membership.user).id,
        "version_number": exercise.current_version.number,
        "slug": exercise.slug,  # the API's exercise detail
        "api_key_id": a_key.id,
        "webhook_id": endpoint.id,
        "delivery_id": delivery.id,
    }
    assert answer.pk
    return {
        "a": a_owner,
        "b": b_owner,
        "values": values,
        "a_api": bearer(a_raw),
        "b_api": bearer(b_raw),
        "b_raw": b_raw,
    }


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


def _fill(route: str, values: dict[str, Any]) -> tuple[str, list[str]]:
    names = [m["name"] for m in PATTERN_PARAMETER.finditer(route)]
    unknown = [n for n in names if n not in values]
    assert not unknown, f"{route}: add a value for {unknown} to the tenancy walk"
    path = PATTERN_PARAMETER.sub(lambda m: str(values[m["name"]]), route)
    return "/" + path.lstrip("^").rstrip("$"), names


INTERVIEWER_EXEMPT = {
    # Sign-in, sign-out and password reset are the same for everyone and hold no object.
    "accounts/",
    # A report opened by a signed link (api.signed_report), not by a session: a 404 for
    # everyone without the link's token (tests/platform/test_api_reports.py).
    "r/",
}


def _interviewer_routes() -> list[str]:
    routes = [
        route
        for namespace, route in walk(get_resolver().url_patterns)
        if namespace == "interviewer"
    ]
    assert len(routes) > 20, routes  # the walk really found the interviewer's pages
    return routes


def test_a_member_of_another_organization_gets_404_on_every_object_url(world):
    values, a_client, b_client = world["values"], world["a"].client, world["b"].client
    checked = 0
    for route in _interviewer_routes():
        if route.startswith(tuple(INTERVIEWER_EXEMPT)):
            continue
        path, names = _fill(route, values)
        if not names:
            continue
        statuses = {
            method: getattr(b_client, method)(path).status_code for method in ("get", "post")
        }
        assert 404 in statuses.values(), f"{path}: B got {statuses}"
        assert set(statuses.values()) <= {404, 405}, f"{path}: B got {statuses}"
        if statuses["get"] == 404:
            reached = a_client.get(path).status_code
            assert reached != 404, f"{path}: A's own owner gets 404 too: the walk proves nothing"
        checked += 1
    assert checked >= 15


def test_pages_without_an_object_show_nothing_of_another_organization(world):
    b_client = world["b"].client
    for route in _interviewer_routes():
        if route.startswith(tuple(INTERVIEWER_EXEMPT)):
            continue
        path, names = _fill(route, world["values"])
        if names:
            continue
        response = b_client.get(path)
        if response.status_code != 200:
            continue
        body = response.content.decode()
        for what, secret in A_SECRETS.items():
            assert secret not in body, f"{path} shows A's {what} to B"


def _api_routes(values: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """(path, parameter names) of every /api/v1/ route filled with A's objects (`slug` is a
    question's on the question routes, an exercise's elsewhere)."""
    routes = [
        route for _, route in walk(get_resolver().url_patterns) if route.startswith("api/v1/")
    ]
    assert len(routes) >= 15, routes  # the walk really found the API
    question = {**values, "slug": values["question_slug"]}
    return [_fill(route, question if "/questions/" in route else values) for route in routes]


# Valid for every POST of the API (extra fields are ignored): B is refused for whose object it
# names, not for a malformed body.
API_BODY = {
    "candidate_name": "Mallory Bravo",
    "candidate_email": "mallory@bravo.test",
    "invitations": [{"candidate_name": "Mallory Bravo", "candidate_email": "mallory@bravo.test"}],
    "minutes": 10,
}
API_METHODS = ("get", "post", "delete")


def _api_statuses(client: APIClient, path: str) -> dict[str, int]:
    statuses = {}
    for method in API_METHODS:
        response = getattr(client, method)(
            path, **({"data": API_BODY, "format": "json"} if method == "post" else {})
        )
        statuses[method] = response.status_code  # a stream (Server-Sent Events) is not read
    return statuses


def _shows_no_secret(response: Any, path: str) -> None:
    body = response.content.decode()
    for what, secret in A_SECRETS.items():
        assert secret not in body, f"{path} shows A's {what}"


def test_an_api_key_of_another_organization_gets_404_on_every_api_object(world):
    values, a_api, b_api = world["values"], world["a_api"], world["b_api"]
    refused_get, refused_post = [], []
    for path, names in _api_routes(values):
        if not names:
            _shows_no_secret(b_api.get(path), path)
            continue
        statuses = _api_statuses(b_api, path)
        assert 404 in statuses.values(), f"{path}: B's key got {statuses}"
        assert set(statuses.values()) <= {404, 405}, f"{path}: B's key got {statuses}"
        (refused_get if statuses["get"] == 404 else refused_post).append(path)
    assert len(refused_get) >= 8 and len(refused_post) >= 4, (refused_get, refused_post)
    # The control: A's own key reaches every one of these objects (B's DELETEs removed nothing).
    for path in refused_get:
        status = a_api.get(path).status_code
        assert status == 200, f"{path}: A's own key gets {status}"
    for path in refused_post:  # they act: last
        status = a_api.post(path, API_BODY, format="json").status_code
        assert status in (200, 201, 202, 409), f"{path}: A's own key gets {status}"


def test_a_greenhouse_call_with_another_organizations_key_finds_nothing(world):
    values = world["values"]
    basic = base64.b64encode(f"{world['b_raw']}:".encode()).decode()
    b_greenhouse = APIClient()
    b_greenhouse.credentials(HTTP_AUTHORIZATION=f"Basic {basic}")
    status = b_greenhouse.get(
        "/api/greenhouse/test_status", {"partner_interview_id": str(values["invitation_id"])}
    )
    assert status.status_code == 404
    _shows_no_secret(status, "test_status")
    sent = b_greenhouse.post(
        "/api/greenhouse/send_test",
        {
            "partner_test_id": str(values["assessment_id"]),
            "candidate": {"first_name": "Mallory", "last_name": "Bravo", "email": "m@bravo.test"},
        },
        format="json",
    )
    assert sent.status_code == 404
    assert not Invitation.objects.filter(candidate_email="m@bravo.test").exists()
    _shows_no_secret(b_greenhouse.get("/api/greenhouse/list_tests"), "list_tests")


def test_a_member_token_of_another_organization_reaches_no_api_object(world):
    token, _ = Token.objects.get_or_create(user=world["b"].membership.user)
    b_api = APIClient()
    b_api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    for path, names in _api_routes(world["values"]):
        if not names:
            response = b_api.get(path)
            _shows_no_secret(response, path)
            continue
        statuses = _api_statuses(b_api, path)
        # 404, or 403 where the route needs an API key (not a member's token).
        assert set(statuses.values()) <= {403, 404, 405}, f"{path}: B got {statuses}"
        assert set(statuses.values()) != {405}, f"{path}: B got {statuses}"
    # The control: A's own members do see their exercise through the API.
    a_token, _ = Token.objects.get_or_create(user=world["a"].membership.user)
    a_api = APIClient()
    a_api.credentials(HTTP_AUTHORIZATION=f"Token {a_token.key}")
    assert a_api.get(f"/api/v1/exercises/{world['values']['slug']}").status_code == 200
