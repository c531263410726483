"""The JSON endpoints of the exercise editor: save the draft, preview the statement, start a
validation and poll it. Errors are {"error": "...", "errors": {path: reason}} for the author."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from bank.authoring import AuthoringError, DraftInvalid, exercise_draft_save, publish_refusal
from bank.draft_files import MAX_FILE_BYTES, MAX_TOTAL_BYTES, toml_slug
from bank.models import Exercise, Validation
from bank.validation import validation_request
from web.interviewer.access import member_required, organization_of, scoped_or_404
from web.statements import render_markdown


def own_exercise(request: HttpRequest, exercise_slug: str) -> Exercise:
    """The organization's own exercise of that slug (a shared-bank or foreign one: 404)."""
    return scoped_or_404(
        Exercise.objects.select_related("current_version").defer("current_version__package"),
        organization_of(request),
        slug=exercise_slug,
    )


def error(message: str, *, status: int, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


def _json_body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body)
    except RequestDataTooBig as exc:
        raise ValueError(
            f"The request is over {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2**20} MB: "
            f"a package has at most {MAX_TOTAL_BYTES // 2**20} MB of files."
        ) from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"The request body must be JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError("The request body must be a JSON object.")
    return data


def wants_json(request: HttpRequest) -> bool:
    return request.GET.get("format") == "json" or not request.accepts("text/html")


def row_outcome(row: dict[str, Any]) -> str:
    """What a row of the gate's table means, in words."""
    label, ok = row["label"], row["ok"]
    failing = ", ".join(row.get("failing") or [])
    if row["verdict"] == "SANDBOX_ERROR":
        return f"could not be graded: {row.get('message') or 'sandbox error'}"
    if row["expected"] == "ACCEPTED":
        return "accepted" if ok else f"should be ACCEPTED (failing: {failing or row['verdict']})"
    if label.startswith("mutant "):
        if ok:
            return f"caught by {failing}" if failing else "caught"
        return "the hidden suite misses it"
    return "rejected" if ok else "the starter is ACCEPTED: it must fail the hidden tests"


def validation_payload(validation: Validation) -> dict[str, Any]:
    exercise_slug = validation.exercise.slug
    url = reverse(
        "interviewer:exercise-validation",
        kwargs={"exercise_slug": exercise_slug, "validation_id": validation.pk},
    )
    return {
        "id": validation.pk,
        "status": validation.status,
        "finished": validation.status not in ("queued", "running"),
        "content_hash": validation.content_hash,
        "problems": validation.problems,
        "table": [{**row, "outcome": row_outcome(row)} for row in validation.table],
        "created_at": validation.created_at.isoformat(),
        "finished_at": validation.finished_at.isoformat() if validation.finished_at else None,
        "url": url,
    }


@require_POST
@member_required(author=True)
def draft(request: HttpRequest, exercise_slug: str) -> JsonResponse:
    """POST {"files": {path: text}}: the draft becomes exactly these files."""
    exercise = own_exercise(request, exercise_slug)
    try:
        files = _json_body(request).get("files")
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()
        ):
            raise ValueError("'files' must be an object of path -> text.")
    except ValueError as exc:
        return error(str(exc), status=400)
    try:
        saved = exercise_draft_save(exercise=exercise, actor=request.user, files=files)
    except DraftInvalid as exc:
        return error("Some files cannot be saved: " + str(exc), status=400, errors=exc.problems)
    except AuthoringError as exc:
        return error(str(exc), status=400)
    _slug, unreadable = toml_slug(files)
    return JsonResponse(
        {
            "content_hash": saved.content_hash,
            "saved_at": saved.updated_at.isoformat(),
            "warnings": {"exercise.toml": unreadable} if unreadable else {},
            "publish_refusal": publish_refusal(exercise, saved),
        }
    )


@require_POST
@member_required(author=True)
def preview(request: HttpRequest, exercise_slug: str) -> JsonResponse:
    """POST {"markdown": text}: the statement as candidates will see it (sanitized HTML)."""
    own_exercise(request, exercise_slug)
    try:
        text = _json_body(request).get("markdown")
        if not isinstance(text, str):
            raise ValueError("'markdown' must be a string.")
    except ValueError as exc:
        return error(str(exc), status=400)
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        return error(f"The statement is over {MAX_FILE_BYTES // 1024} KB.", status=413)
    return JsonResponse({"html": render_markdown(text)})


@require_POST
@member_required(author=True)
def validate(request: HttpRequest, exercise_slug: str) -> HttpResponse:
    """Validate the saved draft (the gate, in the background); JSON for the editor's fetch,
    a redirect to the validation's page for a plain form."""
    exercise = own_exercise(request, exercise_slug)
    try:
        validation = validation_request(exercise=exercise, actor=request.user)
    except AuthoringError as exc:
        return error(str(exc), status=400)
    payload = validation_payload(validation)
    if wants_json(request):
        return JsonResponse({"validation": payload}, status=202)
    return redirect(payload["url"])


@require_GET
@member_required
def validation(request: HttpRequest, exercise_slug: str, validation_id: int) -> HttpResponse:
    """One validation: JSON for polling (Accept: application/json or ?format=json), else its
    page with the gate's table."""
    exercise = own_exercise(request, exercise_slug)
    found = get_object_or_404(exercise.validations.defer("files"), id=validation_id)
    payload = validation_payload(found)
    if wants_json(request):
        return JsonResponse({"validation": payload})
    return render(
        request,
        "interviewer/authoring_validation.html",
        {"exercise": exercise, "validation": found, "payload": payload},
    )
