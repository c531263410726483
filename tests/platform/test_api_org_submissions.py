"""/api/v1/submissions with an API key: submitting owns the submission through the key's
service account (scope invite), reading sees the organization's submissions (its keys' and its
candidates'); Token users keep seeing their own only."""

from __future__ import annotations

import pytest
from api_world import build, invite, own_exercise, submit

from assessments.models import Invitation
from submissions.models import Submission

pytestmark = pytest.mark.django_db

GOOD_ADD = "def add(a, b):\n    return a + b\n\ndef mul(a, b):\n    return a * b\n"


def test_a_key_of_scope_invite_submits_as_its_service_account(
    make_api_key, bank, django_capture_on_commit_callbacks
):
    key, _, client = make_api_key("acme", ("invite",))
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            "/api/v1/submissions", {"exercise": "arith", "code": GOOD_ADD}, format="json"
        )
    assert response.status_code == 201, response.json()
    assert Submission.objects.get(id=response.json()["id"]).owner == key.user
    assert len(callbacks) == 1  # enqueued for grading once committed


def test_a_read_key_cannot_submit_but_reads(make_api_key, bank):
    _, _, client = make_api_key("acme", ("read",))
    response = client.post(
        "/api/v1/submissions", {"exercise": "arith", "code": GOOD_ADD}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "this API key lacks the 'invite' scope"
    assert not Submission.objects.exists()
    assert client.get("/api/v1/submissions").status_code == 200


def test_a_key_reads_its_organizations_submissions_and_nothing_of_another(make_api_key, bank):
    _, _, ours = make_api_key("acme", ("invite",))
    _, _, colleague = make_api_key("acme", ("read",))
    _, _, theirs = make_api_key("bravo", ("invite",))
    mine = ours.post("/api/v1/submissions", {"exercise": "arith", "code": GOOD_ADD}, format="json")
    candidate = invite(build("acme"), status=Invitation.Status.STARTED)
    by_candidate = submit(candidate, "arith", 100)
    bravo_candidate = invite(build("bravo"), "Bob Bravo", status=Invitation.Status.STARTED)
    by_bravo = submit(bravo_candidate, "arith", 100)
    theirs_posted = theirs.post(
        "/api/v1/submissions", {"exercise": "arith", "code": GOOD_ADD}, format="json"
    )
    listed = {row["id"] for row in colleague.get("/api/v1/submissions").json()["results"]}
    assert listed == {mine.json()["id"], str(by_candidate.id)}
    detail = colleague.get(f"/api/v1/submissions/{by_candidate.id}")
    assert detail.status_code == 200 and detail.json()["verdict"] == "ACCEPTED"
    for foreign in (str(by_bravo.id), theirs_posted.json()["id"]):
        assert colleague.get(f"/api/v1/submissions/{foreign}").status_code == 404
        assert colleague.get(f"/api/v1/submissions/{foreign}/events").status_code == 404
    assert {row["id"] for row in theirs.get("/api/v1/submissions").json()["results"]} == {
        theirs_posted.json()["id"],
        str(by_bravo.id),
    }


def test_a_key_submits_to_its_organizations_own_exercises(make_api_key, bank, tmp_path):
    key, _, client = make_api_key("acme", ("invite",))
    _, _, bravo = make_api_key("bravo", ("invite",))
    own = own_exercise(bank, tmp_path, key.organization, "acme-own-arith")
    body = {"exercise": own.slug, "code": GOOD_ADD}
    assert client.post("/api/v1/submissions", body, format="json").status_code == 201
    refused = bravo.post("/api/v1/submissions", body, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["fields"] == {"exercise": [f"no exercise {own.slug!r}"]}
    assert client.get(f"/api/v1/exercises/{own.slug}").status_code == 200
    assert bravo.get(f"/api/v1/exercises/{own.slug}").status_code == 404


def test_a_token_user_still_sees_only_their_own_submissions(api, user_token, make_api_key, bank):
    _, _, client = make_api_key("acme", ("invite",))
    theirs = client.post(
        "/api/v1/submissions", {"exercise": "arith", "code": GOOD_ADD}, format="json"
    )
    own = api.post("/api/v1/submissions", {"exercise": "arith", "code": GOOD_ADD}, format="json")
    assert [row["id"] for row in api.get("/api/v1/submissions").json()["results"]] == [
        own.json()["id"]
    ]
    assert api.get(f"/api/v1/submissions/{theirs.json()['id']}").status_code == 404
    assert client.get(f"/api/v1/submissions/{own.json()['id']}").status_code == 404
