"""The OpenAPI schema's account of the conventions every API operation shares, added by
one drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) rather
than on each view: the error shape (api.errors), 401/403/404/400, 429 with `Retry-After`
(api.ratelimit), `Idempotency-Key` on POSTs with its 409/422 (api.idempotency) and
`X-Request-Id` on every response (api.request_id). What a view documents itself is kept."""

from __future__ import annotations

from typing import Any

from api.idempotency import HEADER as IDEMPOTENCY_HEADER
from api.idempotency import MAX_KEY_LENGTH, REPLAYED_HEADER
from api.request_id import HEADER as REQUEST_ID_HEADER

ERROR = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Every error: a stable `code` for programs, a sentence for people, and "
    "`fields` (field -> messages) for invalid input.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "example": "validation_error"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}
REQUEST_ID = {
    "description": "The request's id (the client's own X-Request-Id when it is 1-100 "
    "characters of [A-Za-z0-9._-]); the server's log lines name it.",
    "required": True,
    "schema": {"type": "string"},
}
RETRY_AFTER = {
    "description": "Seconds to wait before the key may send again.",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
REPLAYED = {
    "description": "`true` when this is the stored answer to an earlier request with the "
    "same Idempotency-Key.",
    "schema": {"type": "string", "enum": ["true"]},
}
IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "description": "Any unique string (a UUID): a retry with the same key and the same request "
    "gets the first response again instead of acting twice (for 24 hours). Keys belong to "
    "one API key.",
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": MAX_KEY_LENGTH,
        "pattern": f"^[ -~]{{1,{MAX_KEY_LENGTH}}}$",
    },
}
COMMON = {
    "401": "No API key, or a wrong or revoked one (`not_authenticated`, `authentication_failed`).",
    "403": "The key lacks the scope this needs (`permission_denied`).",
    "429": "Too many requests with this key (`rate_limited`); see Retry-After.",
}
POST_ONLY = {
    "409": "A request with this Idempotency-Key is still running (`idempotency_in_progress`), "
    "or the object's state refuses the change.",
    "422": "This Idempotency-Key was used for a different request (`idempotency_key_reused`).",
}


def _error_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR}"}}},
    }


def _add_errors(operation: dict[str, Any], method: str, *, ids_in_input: bool) -> None:
    """`ids_in_input`: the operation may name an object in its query or body (Greenhouse's
    partner ids), not only in its path."""
    responses = operation.setdefault("responses", {})
    wanted = dict(COMMON)
    parameters = operation.get("parameters", [])
    has_input = bool(operation.get("requestBody") or parameters)
    if any(p.get("in") == "path" for p in parameters) or (ids_in_input and has_input):
        wanted["404"] = "No such object in the key's organization (`not_found`)."
    elif any(p.get("in") == "query" and p.get("name") == "page" for p in parameters):
        wanted["404"] = "No such page (`not_found`)."
    if has_input or method == "post":
        wanted["400"] = "Invalid input (`validation_error`, with `fields`)."
    if method == "post":
        wanted.update(POST_ONLY)
    for status, description in wanted.items():
        response = responses.setdefault(status, {"description": description})
        response.setdefault("content", _error_response(description)["content"])
        if not response.get("description"):
            response["description"] = description
    responses["429"].setdefault("headers", {})["Retry-After"] = RETRY_AFTER


def _add_request_id(operation: dict[str, Any]) -> None:
    for response in operation.get("responses", {}).values():
        response.setdefault("headers", {}).setdefault(REQUEST_ID_HEADER, REQUEST_ID)


def _add_idempotency(operation: dict[str, Any]) -> None:
    parameters = operation.setdefault("parameters", [])
    if not any(p.get("name") == IDEMPOTENCY_HEADER for p in parameters):
        parameters.append(IDEMPOTENCY_PARAMETER)
    for status, response in operation.get("responses", {}).items():
        if status.startswith(("2", "4")) and status != "429":  # what is stored and replayed
            response.setdefault("headers", {}).setdefault(REPLAYED_HEADER, REPLAYED)


def document_conventions(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the shared errors, headers and parameters."""
    result.setdefault("components", {}).setdefault("schemas", {}).setdefault(ERROR, ERROR_SCHEMA)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if path.startswith("/api/v1/"):
                _add_errors(operation, method, ids_in_input=False)
                if method == "post":
                    _add_idempotency(operation)
            elif path.startswith("/api/greenhouse/"):
                _add_errors(operation, method, ids_in_input=True)
            if path.startswith("/api/"):
                _add_request_id(operation)
    return result
