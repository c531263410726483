"""A small Python client of the TensorJudge REST API v1, for hiring systems.

One file, standard library only (no Django, no `requests`): copy it into your project, or put
TensorJudge's `platform/` folder on `sys.path` and `from api.client import TensorJudge`.

    tj = TensorJudge("https://judge.example.com", "tj_...")
    invitation = tj.invite(assessment_id=3, name="Ada Lovelace", email="ada@example.com",
                           external_id="ats-candidate-42")
    print(invitation["invitation_url"])  # the candidate's link: returned this once
    done = tj.wait_until(invitation["id"], {"graded", "expired", "revoked"}, timeout_s=3 * 3600)
    print(tj.report(done["id"])["total"])

Every POST carries an `Idempotency-Key` (yours, or a fresh one), so a POST retried after a
network failure, a 429 or a 5xx is answered by the first response instead of acting twice.
Errors raise `TensorJudgeError` with the HTTP status, the API's stable error code, its message
and the request id to quote. `verify_signature` checks a webhook delivery."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

__all__ = ["SIGNATURE_TOLERANCE_S", "TensorJudge", "TensorJudgeError", "verify_signature"]

USER_AGENT = "tensorjudge-python/1"
SIGNATURE_TOLERANCE_S = 300  # a delivery older (or newer) than this is refused: no replays
MAX_RETRY_AFTER_S = 60.0  # a longer Retry-After is not waited for: the error is raised
RETRIED_STATUSES = frozenset({429, 502, 503, 504})
FINAL_STATUSES = frozenset({"graded", "expired", "revoked"})

JSON = dict[str, Any]


class TensorJudgeError(Exception):
    """The API refused a request, or could not be reached (`status` 0, code
    "connection_error"). `code` is the API's stable error code ("not_found",
    "validation_error", "rate_limited", ...), `fields` the invalid inputs, if any, and
    `request_id` the X-Request-Id to quote when asking for help."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request_id: str | None = None,
        fields: Mapping[str, list[str]] | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}" + (f" [{request_id}]" if request_id else ""))
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.fields = dict(fields or {})
        self.retry_after_s = retry_after_s  # from a 429's or 503's Retry-After


def verify_signature(
    secret: str,
    timestamp: str | int,
    body: bytes | str,
    signature_header: str,
    tolerance_s: float = SIGNATURE_TOLERANCE_S,
    *,
    now: float | None = None,
) -> bool:
    """Whether a webhook delivery is authentic and fresh: `signature_header` (the
    `TensorJudge-Signature` header, `v1=<hex>`, possibly several comma-separated) holds the
    HMAC-SHA256 under `secret` of `f"{timestamp}.{body}"`, where `timestamp` is the
    `TensorJudge-Timestamp` header and `body` the raw request body (bytes as received: do not
    re-serialize parsed JSON), and the timestamp is within `tolerance_s` of `now` (default: the
    clock), so a captured delivery cannot be replayed later. Compared in constant time."""
    try:
        sent_at = int(str(timestamp).strip())
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - sent_at) > tolerance_s:
        return False
    raw = body.encode("utf-8") if isinstance(body, str) else body
    expected = hmac.new(
        secret.encode("utf-8"), str(timestamp).strip().encode("ascii") + b"." + raw, hashlib.sha256
    ).hexdigest()
    matched = False
    for part in signature_header.split(","):
        scheme, _, value = part.strip().partition("=")
        # No early exit: every candidate is compared, in constant time each.
        if scheme == "v1" and hmac.compare_digest(value.strip().encode(), expected.encode()):
            matched = True
    return matched


class TensorJudge:
    """The API of one TensorJudge site (`base_url`, e.g. "https://judge.example.com") with one
    organization's API key (`tj_...`). Methods return the API's JSON objects as dicts; lists
    follow every cursor page. `retries` re-sends a request that met a network failure, a 429
    (after its Retry-After, up to MAX_RETRY_AFTER_S) or a 502/503/504."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout_s: float = 30.0,
        retries: int = 2,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, not {base_url!r}")
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.timeout_s = timeout_s
        self.retries = retries
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"TensorJudge({self.base_url!r}, key {self._api_key[:11]}…)"

    # Assessments -------------------------------------------------------------------------

    def assessments(self) -> list[JSON]:
        """Every assessment of the organization, newest first."""
        return list(self._pages("/api/v1/assessments"))

    def assessment(self, assessment_id: int) -> JSON:
        """One assessment with its steps."""
        return self._request("GET", f"/api/v1/assessments/{int(assessment_id)}")

    # Invitations -------------------------------------------------------------------------

    def invite(
        self,
        assessment_id: int,
        name: str,
        email: str,
        external_id: str | None = None,
        callback_url: str | None = None,
        idempotency_key: str | None = None,
        *,
        expires_at: str | None = None,
        extra_minutes: int | None = None,
    ) -> JSON:
        """Invite a candidate (TensorJudge emails them their link); return the invitation with
        its `invitation_url`, which the API shows this once. Pass an `idempotency_key` of your
        own (say, your application's id) to make a repeated call safe across restarts too."""
        body = _invitation_body(
            name=name,
            email=email,
            external_id=external_id,
            callback_url=callback_url,
            expires_at=expires_at,
            extra_minutes=extra_minutes,
        )
        return self._request(
            "POST",
            f"/api/v1/assessments/{int(assessment_id)}/invitations",
            body=body,
            idempotency_key=idempotency_key,
        )

    def invite_batch(
        self,
        assessment_id: int,
        candidates: Sequence[Mapping[str, Any]],
        idempotency_key: str | None = None,
    ) -> list[JSON]:
        """Invite 1 to 100 candidates at once, all or none: each a mapping with `name` (or
        `candidate_name`), `email` (or `candidate_email`) and optionally `external_id`,
        `callback_url`, `expires_at`, `extra_minutes`. An invalid entry fails the whole batch
        (a `validation_error` whose `fields` name its index) and nothing is created."""
        invitations = [
            _invitation_body(
                name=str(c.get("name", c.get("candidate_name", ""))),
                email=str(c.get("email", c.get("candidate_email", ""))),
                external_id=c.get("external_id"),
                callback_url=c.get("callback_url"),
                expires_at=c.get("expires_at"),
                extra_minutes=c.get("extra_minutes"),
            )
            for c in candidates
        ]
        answer = self._request(
            "POST",
            f"/api/v1/assessments/{int(assessment_id)}/invitations/batch",
            body={"invitations": invitations},
            idempotency_key=idempotency_key,
        )
        return list(answer["results"])

    def invitations(self, **filters: Any) -> Iterator[JSON]:
        """Every invitation matching the filters (`status`, `assessment`, `external_id`,
        `created_after`, `created_before`; times as ISO-8601), newest first, page after page."""
        params = {name: value for name, value in filters.items() if value is not None}
        return self._pages("/api/v1/invitations", params)

    def invitation(self, invitation_id: str) -> JSON:
        """One invitation: its `status` (invited, started, submitted, graded, expired, revoked),
        times and `report_url`."""
        return self._request("GET", f"/api/v1/invitations/{_quote(invitation_id)}")

    def report(self, invitation_id: str) -> JSON:
        """The candidate's report: total, per step the score, verdict, speed and tests."""
        return self._request("GET", f"/api/v1/invitations/{_quote(invitation_id)}/report")

    def revoke(self, invitation_id: str, idempotency_key: str | None = None) -> JSON:
        """Withdraw an invitation that is not finished."""
        return self._request(
            "POST",
            f"/api/v1/invitations/{_quote(invitation_id)}/revoke",
            body={},
            idempotency_key=idempotency_key,
        )

    def extend(self, invitation_id: str, minutes: int, idempotency_key: str | None = None) -> JSON:
        """Give `minutes` more: to the link's expiry before the start, to the deadline during
        the attempt."""
        return self._request(
            "POST",
            f"/api/v1/invitations/{_quote(invitation_id)}/extend",
            body={"minutes": int(minutes)},
            idempotency_key=idempotency_key,
        )

    def wait_until(
        self,
        invitation_id: str,
        statuses: str | Collection[str] = FINAL_STATUSES,
        timeout_s: float = 3600.0,
        *,
        poll_s: float = 10.0,
    ) -> JSON:
        """Poll the invitation every `poll_s` until its status is one of `statuses`; return it.
        Raises TimeoutError after `timeout_s`. (Webhooks tell you without polling.)"""
        wanted = {statuses} if isinstance(statuses, str) else set(statuses)
        deadline = time.monotonic() + timeout_s
        while True:
            invitation = self.invitation(invitation_id)
            if invitation["status"] in wanted:
                return invitation
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(
                    f"invitation {invitation_id} is still {invitation['status']!r} after "
                    f"{timeout_s:g} s (waited for {', '.join(sorted(wanted))})"
                )
            self._sleep(min(poll_s, left))

    # Submissions (the key's service account owns them) -------------------------------------

    def submit(self, exercise: str, code: str, suite: str = "hidden") -> JSON:
        """Grade `code` against an exercise of the bank (201: stored and queued)."""
        return self._request(
            "POST", "/api/v1/submissions", body={"exercise": exercise, "code": code, "suite": suite}
        )

    def submission(self, submission_id: str) -> JSON:
        """One submission: status, verdict, score, per-test results."""
        return self._request("GET", f"/api/v1/submissions/{_quote(submission_id)}")

    # Webhooks (scope admin) -----------------------------------------------------------------

    def add_webhook(self, url: str, events: Sequence[str], description: str = "") -> JSON:
        """Register an endpoint for `events` ("invitation.started", "invitation.submitted",
        "invitation.graded", "invitation.expired", "submission.graded"). TensorJudge pings it
        first and refuses it (`webhook_unreachable`) unless it answers 2xx. The answer holds the
        signing `secret`: keep it, it is shown this once."""
        return self._request(
            "POST",
            "/api/v1/webhooks",
            body={"url": url, "events": list(events), "description": description},
        )

    def webhooks(self) -> list[JSON]:
        """The organization's webhook endpoints."""
        return list(self._pages("/api/v1/webhooks"))

    def webhook(self, webhook_id: int) -> JSON:
        return self._request("GET", f"/api/v1/webhooks/{int(webhook_id)}")

    def delete_webhook(self, webhook_id: int) -> None:
        self._request("DELETE", f"/api/v1/webhooks/{int(webhook_id)}")

    def deliveries(self, webhook_id: int) -> list[JSON]:
        """The delivery log of an endpoint: each event's status, attempts, last status code."""
        return list(self._pages(f"/api/v1/webhooks/{int(webhook_id)}/deliveries"))

    def callback_secret(self) -> str:
        """The secret that signs the deliveries to invitations' `callback_url`s (endpoints
        registered with add_webhook have their own)."""
        return str(self._request("GET", "/api/v1/webhooks/callback-secret")["secret"])

    def redeliver(self, webhook_id: int, delivery_id: int) -> JSON:
        """Send a delivery again (now, whatever its status)."""
        return self._request(
            "POST",
            f"/api/v1/webhooks/{int(webhook_id)}/deliveries/{int(delivery_id)}/redeliver",
            body={},
        )

    # HTTP ---------------------------------------------------------------------------------

    def _pages(self, path: str, params: Mapping[str, Any] | None = None) -> Iterator[JSON]:
        """The items of a list endpoint, following `next` page after page (a bare JSON list is
        one page)."""
        url: str | None = self._url(path, params)
        while url is not None:
            page = self._call("GET", url)
            if isinstance(page, list):
                yield from page
                return
            yield from page["results"]
            url = self._same_site(page["next"]) if page.get("next") else None

    def _url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        url = self.base_url + path
        if params:
            url += "?" + urllib.parse.urlencode(
                {name: _query_value(value) for name, value in params.items()}
            )
        return url

    def _same_site(self, url: str) -> str:
        """A `next` link on this site. Only its path and query are kept: the key is never sent
        to another host, whatever a proxy made of the link's scheme or host."""
        parts = urllib.parse.urlsplit(url)
        base = urllib.parse.urlsplit(self.base_url)
        return urllib.parse.urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    def _request(
        self,
        method: str,
        path_or_url: str,
        *,
        body: Any = None,
        idempotency_key: str | None = None,
    ) -> JSON:
        """The JSON object the API answers (an empty dict for an empty 204)."""
        answer = self._call(method, path_or_url, body=body, idempotency_key=idempotency_key)
        if answer is None:
            return {}
        if not isinstance(answer, dict):
            raise TensorJudgeError(
                200, "unexpected_response", f"not a JSON object: {answer!r:.100}"
            )
        return answer

    def _call(
        self,
        method: str,
        path_or_url: str,
        *,
        body: Any = None,
        idempotency_key: str | None = None,
    ) -> Any:
        url = path_or_url if "://" in path_or_url else self._url(path_or_url)
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        data = None
        if body is not None:
            data = json.dumps(body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        if method == "POST":
            # The same key on every retry: the server answers a retry with the first response.
            headers["Idempotency-Key"] = idempotency_key or str(uuid.uuid4())
        attempt = 0
        while True:
            try:
                return self._send(method, url, data, headers)
            except TensorJudgeError as error:
                wait = self._retry_wait(error, attempt)
                if wait is None:
                    raise
                attempt += 1
                self._sleep(wait)

    def _retry_wait(self, error: TensorJudgeError, attempt: int) -> float | None:
        """Seconds to wait before retrying after `error`, or None to raise it."""
        if attempt >= self.retries:
            return None
        if error.status == 0:
            return min(2.0**attempt, 10.0)
        if error.status not in RETRIED_STATUSES and error.code != "idempotency_in_progress":
            return None
        if error.retry_after_s is None:
            return min(2.0**attempt, 10.0)
        return error.retry_after_s if error.retry_after_s <= MAX_RETRY_AFTER_S else None

    def _send(self, method: str, url: str, data: bytes | None, headers: dict[str, str]) -> Any:
        request = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with _OPENER.open(request, timeout=self.timeout_s) as response:
                raw = response.read()
                return json.loads(raw) if raw.strip() else None
        except urllib.error.HTTPError as response:
            raise _error_of(response) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as failure:
            reason = getattr(failure, "reason", failure)
            raise TensorJudgeError(0, "connection_error", f"{url}: {reason}") from None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an error (its 3xx is raised): following it would carry the API key to
    wherever it points, and the API never redirects."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects())


def _invitation_body(
    *,
    name: str,
    email: str,
    external_id: str | None,
    callback_url: str | None,
    expires_at: str | None,
    extra_minutes: int | None,
) -> JSON:
    body: JSON = {"candidate_name": name, "candidate_email": email}
    optional = {
        "external_id": external_id,
        "callback_url": callback_url,
        "expires_at": expires_at,
        "extra_minutes": extra_minutes,
    }
    body.update({name: value for name, value in optional.items() if value is not None})
    return body


def _quote(identifier: object) -> str:
    return urllib.parse.quote(str(identifier), safe="")


def _query_value(value: Any) -> str:
    if hasattr(value, "isoformat"):  # a datetime: ISO-8601, as the API reads it
        return str(value.isoformat())
    return str(value)


def _error_of(response: urllib.error.HTTPError) -> TensorJudgeError:
    """The TensorJudgeError of an HTTP error response (the API's JSON error, or a proxy's page)."""
    raw = response.read()
    request_id = response.headers.get("X-Request-Id")
    code, message, fields = f"http_{response.code}", str(response.reason), None
    try:
        error = json.loads(raw)["error"]
        code, message, fields = str(error["code"]), str(error["message"]), error.get("fields")
    except (ValueError, KeyError, TypeError):
        text = raw.decode("utf-8", "replace").strip()
        message = text[:200] or message
    retry_after = (response.headers.get("Retry-After") or "").strip()
    retry_after_s = float(retry_after) if retry_after.isdigit() else None
    return TensorJudgeError(response.code, code, message, request_id, fields, retry_after_s)
