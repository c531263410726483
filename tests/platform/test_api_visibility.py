"""No API response ever carries an exercise's hidden tests, mutants or reference solution.

The `canary` fixture exercise has a canary string in each of them; every endpoint (and the
schema and docs) is fetched and searched."""

import pytest

pytestmark = pytest.mark.django_db

CANARIES = ["HIDDEN-CANARY-3f7a", "REFERENCE-CANARY-5b1e", "MUTANT-CANARY-9c2d"]


def test_no_response_contains_hidden_tests_mutants_or_the_reference(api, bank):
    created = api.post(
        "/api/v1/submissions",
        {"exercise": "canary", "code": "def double(x):\n    return x + x\n"},
        format="json",
    )
    assert created.status_code == 201
    submission = created.json()["id"]
    paths = [
        "/api/v1/exercises",
        "/api/v1/exercises/canary",
        "/api/v1/exercises?page_size=200",
        "/api/v1/submissions",
        f"/api/v1/submissions/{submission}",
        "/api/schema/",
        "/api/docs/",
    ]
    bodies = [created.content] + [api.get(path).content for path in paths]
    for path, body in zip(["POST", *paths], bodies, strict=True):
        for canary in CANARIES:
            assert canary.encode() not in body, f"{canary} leaked in {path}"
    detail = api.get("/api/v1/exercises/canary").json()
    assert detail["public_tests"] and "double(2) is 4" in detail["public_tests"]["test_double.py"]
