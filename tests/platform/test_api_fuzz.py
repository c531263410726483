"""Fuzz the API from its own OpenAPI schema (schemathesis): every operation of /api/schema/ is
called with generated data through the WSGI app, with an admin API key, and no answer may be a
5xx or stray from the schema (status code, content type, headers, body).

Each operation runs three ways: positive data with generated path parameters (mostly 404s),
positive data with the path parameters pinned to real objects of the key's organization (so the
200 bodies are checked too), and negative data (which must be refused with a 4xx). The counts
are printed (`pytest -s`) for the closing note."""

from __future__ import annotations

import base64
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from assessments.models import Invitation
from assessments.services import assessment_create, invitation_create
from bank.models import Exercise, Question
from submissions.models import Submission

EXAMPLES_PER_RUN = 15  # per operation and way: about 1,200 calls in all, under a minute
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


class Receiver(BaseHTTPRequestHandler):
    """A webhook receiver that accepts everything (the registration ping must answer 2xx)."""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def receiver_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks"
    server.shutdown()
    server.server_close()


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI app, called in this thread: like Django's test client, it must not close
    the test's database connection at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def real_objects(organization: Any, receiver_url: str) -> dict[str, Any]:
    """One of each object of `organization`: the values of pinned path parameters."""
    assessment = assessment_create(
        organization=organization,
        title="Fuzzed assessment",
        duration_minutes=30,
        steps=[Exercise.objects.get(slug="arith"), Question.objects.order_by("slug").first()],
    )
    invitation, _ = invitation_create(
        assessment=assessment, candidate_name="Fuzz Candidate", candidate_email="f@fuzz.test"
    )
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.Status.SUBMITTED, started_at=now, deadline=now, finished_at=now
    )
    submission = Submission.objects.create(
        owner=invitation.candidate,
        exercise_version=Exercise.objects.get(slug="arith").current_version,
        code="def add(a, b):\n    return a + b\n",
        status=Submission.Status.GRADED,
        verdict="ACCEPTED",
        score=100.0,
        report={"verdict": "ACCEPTED", "score": 100.0, "tests": []},
    )
    endpoint = WebhookEndpoint.objects.create(
        organization=organization, url=receiver_url, events=["invitation.submitted"], secret="s"
    )
    event = WebhookEvent.objects.create(
        organization=organization, type="invitation.submitted", payload={"id": str(invitation.id)}
    )
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, event=event, sequence=1)
    return {
        "assessment_id": assessment.id,
        "invitation_id": str(invitation.id),
        "submission_id": str(submission.id),
        "webhook_id": endpoint.id,
        "delivery_id": delivery.id,
        "slug": "arith",
    }


@pytest.mark.django_db
def test_no_operation_fails_or_strays_from_the_schema(
    wsgi_app, make_api_key, bank, settings, redis_server, receiver_url, capsys
) -> None:
    settings.API_REQUESTS_PER_MINUTE = 1_000_000  # the fuzz is one key's burst
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True  # registrations ping the local receiver
    key, raw, _ = make_api_key("acme", ("admin",))
    pinned = real_objects(key.organization, receiver_url)
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    bearer = {"Authorization": f"Bearer {raw}"}
    basic = {"Authorization": "Basic " + base64.b64encode(f"{raw}:".encode()).decode()}
    calls: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    failures: dict[str, str] = {}  # one example per (operation, kind of failure)
    # Reads first, deletions last: the pinned objects stay for the other operations.
    order = {"get": 0, "post": 1, "delete": 2}
    operations = sorted(
        (result.ok() for result in schema.get_all_operations()),
        key=lambda operation: order.get(operation.method.lower(), 1),
    )

    def run(operation: Any, way: str, strategy: Any) -> None:
        label = f"{operation.method.upper()} {operation.path}"
        auth = basic if operation.path.startswith("/api/greenhouse/") else bearer

        @hypothesis_settings(
            max_examples=EXAMPLES_PER_RUN,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def call(case: Any) -> None:
            if isinstance(case.body, dict) and isinstance(case.body.get("url"), str):
                case.body["url"] = receiver_url  # never POST to hosts on the internet
            response = case.call(headers=auth)
            calls[label] += 1
            statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=auth)
            except FailureGroup as group:
                for failure in group.exceptions:
                    failures.setdefault(f"{label} [{way}] {failure.title}", str(failure)[:600])

        call()

    for operation in operations:
        run(operation, "generated", operation.as_strategy(GenerationMode.POSITIVE))
        names = {p.name for p in operation.path_parameters}
        if names and names <= pinned.keys():
            values = {name: pinned[name] for name in names}
            strategy = operation.as_strategy(GenerationMode.POSITIVE, path_parameters=values)
            run(operation, "pinned", strategy)
        run(operation, "negative", operation.as_strategy(GenerationMode.NEGATIVE))

    with capsys.disabled():
        print(
            f"\nschemathesis {schemathesis.__version__}: {len(operations)} operations, "
            f"{sum(calls.values())} calls, {len(failures)} failures; "
            f"statuses {dict(sorted(statuses.items()))}"
        )
    assert len(operations) >= 20
    assert all(calls[f"{op.method.upper()} {op.path}"] for op in operations)
    assert not failures, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())
