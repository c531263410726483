"""Every error the API returns has one shape:

    {"error": {"code": "validation_error", "message": "code: code is empty",
               "fields": {"code": ["code is empty"]}}}

`code` is stable (for programs), `message` is one readable sentence (for people), `fields` is
present for invalid input.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from submissions.services import SubmissionRejected


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            fields.update(_flatten(value, name))
        return fields
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or "non_field_errors": [str(item) for item in detail]}
        fields = {}
        for index, item in enumerate(detail):
            fields.update(_flatten(item, f"{prefix}[{index}]"))
        return fields
    return {prefix or "non_field_errors": [str(detail)]}


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, SubmissionRejected):
        exc = exceptions.ValidationError({exc.field: [str(exc)]})
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's handler500 answers (in JSON, see server_error)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        message = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in fields.items())
        response.data = error_body("validation_error", message, fields)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = str(detail.get("detail", detail)) if isinstance(detail, dict) else str(detail)
        code = exc.get_codes()
        response.data = error_body(code if isinstance(code, str) else exc.default_code, message)
    return response


def not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(
        error_body("not_found", f"no such page: {request.path}"), status=status.HTTP_404_NOT_FOUND
    )


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        error_body("server_error", "the server failed; the error is logged"),
        status=status.HTTP_500_INTERNAL_SERVER_ERROR,
    )
