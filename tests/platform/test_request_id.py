"""X-Request-Id: on every response (the client's own when sane), and on the log lines written
while serving the request, also in a real gunicorn's log."""

from __future__ import annotations

import io
import logging
import re
import urllib.error
import urllib.request

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from api.request_id import RequestIdFilter, RequestIdMiddleware
from stack import wait_until

pytestmark = pytest.mark.django_db
UUID_HEX = re.compile(r"[0-9a-f]{32}")


def test_every_response_gets_a_new_request_id(api, make_member) -> None:
    owner = make_member("acme", "owner")
    responses = [
        api.get("/api/v1/exercises"),  # the API
        Client().get("/api/v1/exercises"),  # refused: 401
        api.get("/api/v1/no-such-thing"),  # 404 from Django's handler
        owner.client.get("/app/"),  # the interviewer's pages
        Client().get("/app/"),  # a redirect to sign in
        Client().get("/api/schema/"),
    ]
    ids = [response["X-Request-Id"] for response in responses]
    assert all(UUID_HEX.fullmatch(request_id) for request_id in ids), ids
    assert len(set(ids)) == len(ids)


def test_a_sane_client_request_id_is_kept_and_another_replaced(api) -> None:
    for sane in ("ats-7f3a.retry_2", "A" * 100, "0"):
        assert api.get("/api/v1/exercises", HTTP_X_REQUEST_ID=sane)["X-Request-Id"] == sane
    for unsafe in ("", "A" * 101, "two words", "x\r\nSet-Cookie: a=b", "a/b", "id;drop"):
        replaced = api.get("/api/v1/exercises", HTTP_X_REQUEST_ID=unsafe)["X-Request-Id"]
        assert UUID_HEX.fullmatch(replaced), unsafe


def configured_console_to(stream: io.StringIO) -> logging.Handler:
    """A handler writing to `stream` with the format and filters the settings give the
    console (found on the root logger, as Django configured it)."""
    console = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(f, RequestIdFilter) for f in handler.filters)
    )
    handler = logging.StreamHandler(stream)
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)
    return handler


def test_log_lines_written_while_serving_show_the_request_id() -> None:
    stream = io.StringIO()
    handler = configured_console_to(stream)
    log = logging.getLogger("tests.request_id")
    log.addHandler(handler)
    try:

        def view(request: HttpRequest) -> HttpResponse:
            log.warning("grading queue is long")
            return HttpResponse("ok")

        request = RequestFactory().get("/api/v1/exercises", HTTP_X_REQUEST_ID="trace-me-1")
        assert RequestIdMiddleware(view)(request)["X-Request-Id"] == "trace-me-1"
        log.warning("between requests")
    finally:
        log.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert "[trace-me-1] grading queue is long" in lines[0]
    assert "[-] between requests" in lines[1]  # outside a request: no id, and no stale one


@pytest.mark.django_db(transaction=True)
def test_a_real_servers_log_names_the_request_id_of_a_failed_request(platform) -> None:
    request = urllib.request.Request(
        f"{platform.base_url}/api/v1/no-such-thing", headers={"X-Request-Id": "trace-me-42"}
    )
    with pytest.raises(urllib.error.HTTPError) as failed:
        urllib.request.urlopen(request, timeout=30)
    assert failed.value.code == 404
    assert failed.value.headers["X-Request-Id"] == "trace-me-42"

    def logged() -> bool:
        return any(
            "[trace-me-42]" in line and "Not Found: /api/v1/no-such-thing" in line
            for line in platform.web.log_tail(400).splitlines()
        )

    wait_until(logged, timeout_s=10, what="the web server's log line")
