"""The JSON endpoints the candidate's page calls: autosave, answers, run/submit, results,
history and live progress. Errors are {"error": "..."} written for the candidate."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import AssessmentItem, Invitation
from assessments.selectors import attempt_items
from assessments.services import (
    AttemptClosed,
    AttemptError,
    CodeTooLarge,
    RateLimited,
    SubmissionLimitReached,
    answer_save,
    attempt_submit,
    draft_save,
)
from submissions.models import Submission
from submissions.progress import progress_sse_response
from submissions.selectors import submission_get, submission_list
from web.payloads import submission_detail, submission_summary, submission_urls
from web.session import with_invitation


def error(message: str, *, status: int, **headers: str) -> JsonResponse:
    response = JsonResponse({"error": message}, status=status)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def no_attempt_json(request: HttpRequest) -> JsonResponse:
    return error(
        "This browser has no open assessment: open the link from your invitation again.",
        status=403,
    )


class BadInput(ValueError):
    pass


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadInput(f"The request body must be JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise BadInput("The request body must be a JSON object.")
    return data


def _field(data: dict[str, Any], name: str, kind: type) -> Any:
    value = data.get(name)
    if not isinstance(value, kind):
        raise BadInput(f"'{name}' must be a {kind.__name__}.")
    return value


def _item(invitation: Invitation, number: int) -> AssessmentItem:
    items = list(attempt_items(invitation))
    if not 1 <= number <= len(items):
        raise BadInput(f"This assessment has no step {number}.")
    return items[number - 1]


def _attempt_error(exc: AttemptError) -> JsonResponse:
    if isinstance(exc, RateLimited):
        return error(str(exc), status=429, Retry_After=str(exc.retry_after_s))
    if isinstance(exc, AttemptClosed):
        return error(str(exc), status=403)
    if isinstance(exc, CodeTooLarge):
        return error(str(exc), status=413)
    if isinstance(exc, SubmissionLimitReached):
        return error(str(exc), status=409)
    return error(str(exc), status=400)


@require_POST
@with_invitation(no_attempt_json)
def save_draft(request: HttpRequest, invitation: Invitation, number: int) -> JsonResponse:
    try:
        data = _body(request)
        draft = draft_save(
            invitation=invitation, item=_item(invitation, number), code=_field(data, "code", str)
        )
    except BadInput as exc:
        return error(str(exc), status=400)
    except AttemptError as exc:
        return _attempt_error(exc)
    return JsonResponse({"saved_at": draft.saved_at.isoformat()})


@require_POST
@with_invitation(no_attempt_json)
def save_answer(request: HttpRequest, invitation: Invitation, number: int) -> JsonResponse:
    try:
        data = _body(request)
        choices = _field(data, "choices", list) if "choices" in data else None
        text = _field(data, "text", str) if "text" in data else None
        answer = answer_save(
            invitation=invitation, item=_item(invitation, number), choices=choices, text=text
        )
    except BadInput as exc:
        return error(str(exc), status=400)
    except AttemptError as exc:
        return _attempt_error(exc)
    return JsonResponse({"saved_at": answer.saved_at.isoformat()})


@require_http_methods(["GET", "POST"])
@with_invitation(no_attempt_json)
def submissions(request: HttpRequest, invitation: Invitation, number: int) -> JsonResponse:
    """GET: this exercise's submissions, newest first. POST {code, suite}: Run or Submit."""
    show = invitation.assessment.show_hidden_results
    try:
        item = _item(invitation, number)
        if request.method == "GET":
            rows = submission_list(owner=invitation.candidate).filter(
                exercise_version__exercise_id=item.exercise_id
            )
            return JsonResponse(
                {"submissions": [submission_summary(s, show_hidden_results=show) for s in rows]}
            )
        data = _body(request)
        suite = _field(data, "suite", str)
        if suite not in Submission.Suite.values:
            raise BadInput(f"'suite' must be one of {', '.join(Submission.Suite.values)}.")
        submission = attempt_submit(
            invitation=invitation, item=item, code=_field(data, "code", str), suite=suite
        )
    except BadInput as exc:
        return error(str(exc), status=400)
    except AttemptError as exc:
        return _attempt_error(exc)
    return JsonResponse({"id": str(submission.id), **submission_urls(submission)}, status=201)


def _own_submission(invitation: Invitation, submission_id: UUID) -> Submission | None:
    return submission_get(owner=invitation.candidate, submission_id=submission_id)


@require_GET
@with_invitation(no_attempt_json)
def submission(request: HttpRequest, invitation: Invitation, submission_id: UUID) -> JsonResponse:
    found = _own_submission(invitation, submission_id)
    if found is None:
        return error("No such submission.", status=404)
    show = invitation.assessment.show_hidden_results
    return JsonResponse(submission_detail(found, show_hidden_results=show))


@require_GET
@with_invitation(no_attempt_json)
def events(
    request: HttpRequest, invitation: Invitation, submission_id: UUID
) -> StreamingHttpResponse | JsonResponse:
    """Server-Sent Events while the submission is graded (names and outcomes only)."""
    found = _own_submission(invitation, submission_id)
    if found is None:
        return error("No such submission.", status=404)
    return progress_sse_response(found)
