"""`Idempotency-Key` on any POST under /api/: a retried request gets the first response again
(header `Idempotent-Replayed: true`) instead of acting twice.

A middleware, so it covers every POST whatever the view. It engages only for requests with an
`Idempotency-Key` header AND a valid API key (`Authorization: Bearer`); records are per API key,
so two keys never share one. How one request goes:

1. The record is claimed first, in its own transaction: an INSERT of a PENDING row, and the
   unique (api_key, key) constraint decides which of concurrent requests wins.
2. The winner runs the view. A response below 500 is stored (the record becomes DONE); a 5xx,
   a 429 (the request was not run) or an exception deletes the record, so a retry runs anew.
3. A loser with a different request (method, path, query or body) gets 422
   `idempotency_key_reused`; with the same request it waits for DONE (polling, at most
   API_IDEMPOTENCY_WAIT_S) and gets the stored response, else 409 `idempotency_in_progress`.

A PENDING record older than API_IDEMPOTENCY_LEASE_S is taken as abandoned (its process died)
and a DONE one older than API_IDEMPOTENCY_TTL_S as expired: either is deleted and the key
claimed anew. Expired records of a key are purged whenever it claims a new one."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from accounts.api_keys import api_key_authenticate
from accounts.models import ApiKey
from api.errors import error_body
from api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 200
POLL_INTERVAL_S = 0.05
State = IdempotencyRecord.State


def _bearer_key(request: HttpRequest) -> ApiKey | None:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    return api_key_authenticate(raw.strip()) if scheme == "Bearer" else None


def _sane(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all(" " <= c <= "~" for c in key)


def request_fingerprint(request: HttpRequest) -> str:
    """SHA-256 of what makes two requests the same one: method, path with query, body."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path(), ""):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\n")
    digest.update(request.body)
    return digest.hexdigest()


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status)


def _claim(*, api_key: ApiKey, key: str, request: HttpRequest, fingerprint: str) -> bool:
    """Insert the PENDING record; False when one exists already (another request has it)."""
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.create(
                api_key=api_key,
                key=key,
                method=request.method or "",
                path=request.get_full_path()[:500],
                request_hash=fingerprint,
            )
    except IntegrityError:
        return False
    return True


def _replay(record: IdempotencyRecord) -> HttpResponse:
    response = HttpResponse(
        bytes(record.response_body or b""),
        status=record.response_status or 200,
        content_type=record.response_content_type or "application/json",
    )
    response[REPLAYED_HEADER] = "true"
    return response


def _is_dead(record: IdempotencyRecord) -> bool:
    """Abandoned (PENDING past the lease) or expired (DONE past the TTL)."""
    age_s = (timezone.now() - record.created_at).total_seconds()
    if record.state == State.PENDING:
        return age_s > settings.API_IDEMPOTENCY_LEASE_S
    return age_s > settings.API_IDEMPOTENCY_TTL_S


class IdempotencyMiddleware:
    """See the module docstring. Last in MIDDLEWARE: it stores what the view answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        if key is None or request.method != "POST" or not request.path.startswith("/api/"):
            return self.get_response(request)
        api_key = _bearer_key(request)
        if api_key is None:
            return self.get_response(request)  # no key, or a wrong one: the view answers 401
        if not _sane(key):
            return _error(
                400,
                "invalid_idempotency_key",
                f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable ASCII characters",
            )
        return self._idempotent(request, api_key, key)

    def _idempotent(self, request: HttpRequest, api_key: ApiKey, key: str) -> HttpResponse:
        fingerprint = request_fingerprint(request)
        deadline = time.monotonic() + settings.API_IDEMPOTENCY_WAIT_S
        while True:
            if _claim(api_key=api_key, key=key, request=request, fingerprint=fingerprint):
                return self._run(request, api_key, key)
            record = IdempotencyRecord.objects.filter(api_key=api_key, key=key).first()
            if record is None:
                continue  # released (its request failed) between our insert and this read
            if _is_dead(record):
                IdempotencyRecord.objects.filter(
                    pk=record.pk, state=record.state, created_at=record.created_at
                ).delete()
                continue
            if record.request_hash != fingerprint:
                return _error(
                    422,
                    "idempotency_key_reused",
                    f"this {HEADER} was used for a different request (another path or body); "
                    "use a new key for a new request",
                )
            if record.state == State.DONE:
                return _replay(record)
            if time.monotonic() > deadline:
                return _error(
                    409,
                    "idempotency_in_progress",
                    f"a request with this {HEADER} is still being processed; retry later",
                )
            time.sleep(POLL_INTERVAL_S)

    def _run(self, request: HttpRequest, api_key: ApiKey, key: str) -> HttpResponse:
        pending = IdempotencyRecord.objects.filter(api_key=api_key, key=key, state=State.PENDING)
        try:
            response = self.get_response(request)
        except BaseException:
            pending.delete()
            raise
        status = response.status_code
        if status >= 500 or status == 429 or response.streaming:
            pending.delete()  # not answered (or not storable): a retry runs anew
            return response
        pending.update(
            state=State.DONE,
            response_status=status,
            response_body=response.content,
            response_content_type=response.get("Content-Type", ""),
        )
        cutoff = timezone.now() - timedelta(seconds=settings.API_IDEMPOTENCY_TTL_S)
        IdempotencyRecord.objects.filter(
            api_key=api_key, state=State.DONE, created_at__lt=cutoff
        ).delete()
        return response
