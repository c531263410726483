"""`Idempotency-Key` on POSTs: a retried request gets the first response again and never acts
twice, also when the copies arrive together (threads against a real gunicorn)."""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import RequestFactory
from django.utils import timezone

from api.idempotency import IdempotencyMiddleware, request_fingerprint
from api.models import IdempotencyRecord
from assessments.models import Invitation
from assessments.services import assessment_create
from bank.models import Exercise

CANDIDATE = {"candidate_name": "Ada Lovelace", "candidate_email": "ada@candidates.test"}


def an_assessment(organization: Any) -> Any:
    return assessment_create(
        organization=organization,
        title="ML engineer",
        duration_minutes=60,
        steps=[Exercise.objects.get(slug="arith")],
    )


def invite_path(assessment: Any) -> str:
    return f"/api/v1/assessments/{assessment.id}/invitations"


def post(client: Any, path: str, body: dict[str, Any], key: str | None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(path, body, format="json", **headers)


# -- Through the real views (Django's test client) ---------------------------------------------


@pytest.mark.django_db
def test_a_retry_gets_the_first_response_again_and_invites_once(make_api_key, bank) -> None:
    key, _, client = make_api_key("acme", ("invite",))
    path = invite_path(an_assessment(key.organization))
    first = post(client, path, CANDIDATE, "retry-1")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first
    again = post(client, path, CANDIDATE, "retry-1")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == first.content  # the candidate's link too: the same invitation
    assert again["Content-Type"] == first["Content-Type"]
    assert Invitation.objects.filter(candidate_email=CANDIDATE["candidate_email"]).count() == 1
    assert IdempotencyRecord.objects.get().state == IdempotencyRecord.State.DONE


@pytest.mark.django_db
def test_the_same_key_with_another_body_or_path_is_refused_with_422(make_api_key, bank) -> None:
    key, _, client = make_api_key("acme", ("invite",))
    assessment = an_assessment(key.organization)
    assert post(client, invite_path(assessment), CANDIDATE, "k").status_code == 201
    other = {**CANDIDATE, "candidate_email": "grace@candidates.test"}
    refused = post(client, invite_path(assessment), other, "k")
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "idempotency_key_reused"
    elsewhere = post(client, f"{invite_path(assessment)}/batch", {"invitations": [other]}, "k")
    assert elsewhere.status_code == 422
    assert not Invitation.objects.filter(candidate_email="grace@candidates.test").exists()


@pytest.mark.django_db
def test_idempotency_keys_belong_to_one_api_key(make_api_key, bank) -> None:
    key, _, client = make_api_key("acme", ("invite",))
    _, _, other_client = make_api_key("acme", ("invite",))
    assessment = an_assessment(key.organization)
    assert post(client, invite_path(assessment), CANDIDATE, "shared").status_code == 201
    grace = {**CANDIDATE, "candidate_email": "grace@candidates.test"}
    second = post(other_client, invite_path(assessment), grace, "shared")
    assert second.status_code == 201 and "Idempotent-Replayed" not in second
    assert Invitation.objects.filter(assessment=assessment).count() == 2


@pytest.mark.django_db
def test_without_the_header_every_post_acts(make_api_key, bank) -> None:
    key, _, client = make_api_key("acme", ("invite",))
    path = invite_path(an_assessment(key.organization))
    assert post(client, path, CANDIDATE, None).status_code == 201
    assert post(client, path, CANDIDATE, None).status_code == 409  # already invited: it acted
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_an_unusable_idempotency_key_is_refused(make_api_key, bank) -> None:
    key, _, client = make_api_key("acme", ("invite",))
    path = invite_path(an_assessment(key.organization))
    for bad in ("", "x" * 201, "caf\u00e9"):
        response = client.post(
            path, CANDIDATE, format="json", HTTP_IDEMPOTENCY_KEY=bad.encode().decode("latin-1")
        )
        assert response.status_code == 400, bad
        assert response.json()["error"]["code"] == "invalid_idempotency_key"
    assert not Invitation.objects.exists()


# -- The middleware around a stand-in view -----------------------------------------------------


class CountingView:
    """A view that answers `statuses` in turn and counts its calls."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.calls = 0

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.calls += 1
        status = self.statuses[min(self.calls, len(self.statuses)) - 1]
        return JsonResponse({"call": self.calls}, status=status)


def keyed_request(raw: str, key: str = "k-1", body: bytes = b'{"a": 1}') -> HttpRequest:
    return RequestFactory().post(
        "/api/v1/things",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("failure", [500, 503, 429])
def test_a_5xx_or_429_is_not_kept_and_the_retry_runs_anew(make_api_key, failure: int) -> None:
    _, raw, _ = make_api_key("acme", ("invite",))
    view = CountingView(failure, 201)
    middleware = IdempotencyMiddleware(view)
    assert middleware(keyed_request(raw)).status_code == failure
    assert not IdempotencyRecord.objects.exists()  # released
    retried = middleware(keyed_request(raw))
    assert retried.status_code == 201 and "Idempotent-Replayed" not in retried
    replayed = middleware(keyed_request(raw))
    assert replayed.status_code == 201 and replayed["Idempotent-Replayed"] == "true"
    assert json.loads(replayed.content) == {"call": 2}
    assert view.calls == 2


@pytest.mark.django_db
def test_a_4xx_is_kept_like_any_answer(make_api_key) -> None:
    _, raw, _ = make_api_key("acme", ("invite",))
    view = CountingView(400, 201)
    middleware = IdempotencyMiddleware(view)
    assert middleware(keyed_request(raw)).status_code == 400
    replayed = middleware(keyed_request(raw))
    assert replayed.status_code == 400 and replayed["Idempotent-Replayed"] == "true"
    assert view.calls == 1


@pytest.mark.django_db
def test_requests_without_an_api_key_or_not_posts_pass_through(make_api_key) -> None:
    _, raw, _ = make_api_key("acme", ("invite",))
    view = CountingView(201)
    middleware = IdempotencyMiddleware(view)
    factory = RequestFactory()
    for _ in range(2):
        middleware(keyed_request("tj_00000000_not-a-key"))  # DRF answers 401 to these
        middleware(factory.post("/api/v1/things", HTTP_IDEMPOTENCY_KEY="k-1"))
        middleware(factory.put("/api/v1/things", HTTP_IDEMPOTENCY_KEY="k-1"))
        middleware(
            factory.post("/app/x", HTTP_IDEMPOTENCY_KEY="k-1", HTTP_AUTHORIZATION=f"Bearer {raw}")
        )
    assert view.calls == 8
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_a_retry_while_the_first_still_runs_gets_409_after_waiting(make_api_key, settings) -> None:
    settings.API_IDEMPOTENCY_WAIT_S = 0.3
    key, raw, _ = make_api_key("acme", ("invite",))
    request = keyed_request(raw)
    IdempotencyRecord.objects.create(
        api_key=key, key="k-1", method="POST", path="/api/v1/things",
        request_hash=request_fingerprint(request),
    )  # fmt: skip
    view = CountingView(201)
    response = IdempotencyMiddleware(view)(request)
    assert response.status_code == 409
    assert json.loads(response.content)["error"]["code"] == "idempotency_in_progress"
    assert view.calls == 0


@pytest.mark.django_db
def test_an_abandoned_or_expired_record_is_taken_over(make_api_key, settings) -> None:
    settings.API_IDEMPOTENCY_WAIT_S = 0.3
    key, raw, _ = make_api_key("acme", ("invite",))
    view = CountingView(201)
    middleware = IdempotencyMiddleware(view)
    for state, age_s in (("pending", 301), ("done", 86401)):
        IdempotencyRecord.objects.all().delete()
        record = IdempotencyRecord.objects.create(
            api_key=key, key="k-1", method="POST", path="/api/v1/things", state=state,
            request_hash=request_fingerprint(keyed_request(raw)), response_status=200,
        )  # fmt: skip
        old = timezone.now() - timedelta(seconds=age_s)
        IdempotencyRecord.objects.filter(pk=record.pk).update(created_at=old)
        response = middleware(keyed_request(raw))
        assert response.status_code == 201 and "Idempotent-Replayed" not in response, state
    assert view.calls == 2


# -- Five copies at once, against a real gunicorn -------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_five_parallel_copies_of_a_post_create_one_invitation(platform, make_api_key, bank):
    key, raw, _ = make_api_key("acme", ("invite",))
    assessment = an_assessment(key.organization)
    url = platform.base_url + invite_path(assessment)
    body = json.dumps(CANDIDATE).encode()
    # A first request loads the views (a cold worker can take seconds): the copies then race
    # on the idempotency record, not on the server's start-up.
    warm = urllib.request.Request(
        f"{platform.base_url}/api/v1/assessments", headers={"Authorization": f"Bearer {raw}"}
    )
    with urllib.request.urlopen(warm, timeout=60) as response:
        assert response.status == 200
    start = threading.Barrier(5)
    answers: list[tuple[int, bytes, str | None]] = []

    def send() -> None:
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={
                "Authorization": f"Bearer {raw}",
                "Content-Type": "application/json",
                "Idempotency-Key": "together",
            },
        )
        start.wait()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                answer = (response.status, response.read(), response.headers["Idempotent-Replayed"])
        except urllib.error.HTTPError as error:
            answer = (error.code, error.read(), error.headers["Idempotent-Replayed"])
        answers.append(answer)

    threads = [threading.Thread(target=send) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert len(answers) == 5, platform.logs_tail()
    assert {status for status, _, _ in answers} == {201}, answers
    assert len({content for _, content, _ in answers}) == 1  # the same invitation for all
    assert sorted(str(replayed) for _, _, replayed in answers) == ["None"] + ["true"] * 4
    assert Invitation.objects.filter(assessment=assessment).count() == 1
    invited = json.loads(answers[0][1])
    assert invited["candidate_email"] == CANDIDATE["candidate_email"]
