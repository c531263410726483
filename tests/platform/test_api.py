"""The REST API in process (the real database, no worker): input checks, errors, auth."""

import json

import pytest
from rest_framework.test import APIClient

from submissions.models import Submission

pytestmark = pytest.mark.django_db

GOOD_ADD = "def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a * b\n"


def test_the_bank_lists_open_exercises_with_their_versions(api, bank):
    response = api.get("/api/v1/exercises")
    assert response.status_code == 200
    slugs = [e["slug"] for e in response.json()["results"]]
    assert slugs == ["arith", "canary", "kmeans"]
    assert response.json()["count"] == 3


def test_an_exercise_shows_its_statement_starter_public_tests_and_limits(api, bank):
    body = api.get("/api/v1/exercises/kmeans").json()
    assert body["statement"].startswith("# K-Means")
    assert "def kmeans" in body["starter"]
    assert "test_kmeans_public.py" in body["public_tests"]
    assert body["limits"]["memory_mb"] == 1024 and body["scoring"]["speed"] == 20


def test_a_valid_submission_is_stored_queued_and_enqueued_after_commit(
    api, bank, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(
            "/api/v1/submissions", {"exercise": "arith", "code": GOOD_ADD}, format="json"
        )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "QUEUED" and body["exercise"] == "arith" and body["suite"] == "hidden"
    assert Submission.objects.get(id=body["id"]).code == GOOD_ADD
    assert len(callbacks) == 1  # the enqueue, which runs only once the row is committed


@pytest.mark.parametrize(
    ("payload", "field", "words"),
    [
        ({"exercise": "nope", "code": GOOD_ADD}, "exercise", "no exercise 'nope'"),
        ({"exercise": "arith", "code": ""}, "code", "code is empty"),
        ({"exercise": "arith", "code": "   \n"}, "code", "code is empty"),
        ({"exercise": "arith", "code": "x" * (256 * 1024 + 1)}, "code", "the limit is 262144"),
        ({"exercise": "arith", "code": 42}, "code", "Not a valid string"),
        ({"exercise": "arith", "code": ["a"]}, "code", "Not a valid string"),
        ({"exercise": "arith"}, "code", "required"),
        ({"exercise": "arith", "code": GOOD_ADD, "suite": "secret"}, "suite", "not a valid choice"),
        ({"code": GOOD_ADD}, "exercise", "required"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_stored(
    api, bank, django_capture_on_commit_callbacks, payload, field, words
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post("/api/v1/submissions", payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in error["fields"] and words in " ".join(error["fields"][field])
    assert words in error["message"]
    assert Submission.objects.count() == 0 and callbacks == []


def test_a_body_that_is_not_utf8_json_is_a_400_and_stores_nothing(api, bank):
    response = api.generic(
        "POST",
        "/api/v1/submissions",
        b'{"exercise": "arith", "code": "\xff"}',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"
    assert Submission.objects.count() == 0


def test_lone_surrogates_in_the_code_are_refused(api, bank):
    body = json.dumps({"exercise": "arith", "code": "x = '\ud800'"})
    response = api.generic("POST", "/api/v1/submissions", body, content_type="application/json")
    assert response.status_code == 400
    assert "Surrogate characters are not allowed" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "path", ["/api/v1/exercises", "/api/v1/exercises/kmeans", "/api/v1/submissions"]
)
def test_every_endpoint_needs_a_token(bank, path):
    anonymous = APIClient()
    response = anonymous.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert wrong.get(path).json()["error"]["code"] == "authentication_failed"


def test_an_unknown_exercise_and_an_unknown_page_are_json_404s(api, bank):
    assert api.get("/api/v1/exercises/nope").json()["error"]["code"] == "not_found"
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_submissions_are_visible_to_their_owner_only(api, bank, db):
    from accounts.services import account_ensure_with_token

    created = api.post(
        "/api/v1/submissions", {"exercise": "arith", "code": GOOD_ADD}, format="json"
    ).json()
    _, other_token = account_ensure_with_token(username="someone-else")
    other = APIClient()
    other.credentials(HTTP_AUTHORIZATION=f"Token {other_token}")
    assert other.get(f"/api/v1/submissions/{created['id']}").status_code == 404
    assert other.get("/api/v1/submissions").json()["count"] == 0
    mine = api.get(f"/api/v1/submissions/{created['id']}").json()
    assert mine["code"] == GOOD_ADD and mine["status"] == "QUEUED"


def test_submission_lists_are_paginated(api, bank):
    for _ in range(3):
        api.post("/api/v1/submissions", {"exercise": "arith", "code": GOOD_ADD}, format="json")
    page = api.get("/api/v1/submissions?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    assert "code" not in page["results"][0]


def test_the_openapi_schema_and_the_docs_page_are_served(api):
    schema = api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    assert "/api/v1/submissions" in schema.json()["paths"]
    docs = api.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
