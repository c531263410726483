"""The candidate's pages: open the link, read the intro, start, work step by step, finish.
Thin: each reads through a selector or calls one service, then renders a template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from assessments.models import Invitation
from assessments.selectors import (
    answer_get,
    attempt_steps,
    draft_get,
    invitation_by_token,
)
from assessments.services import (
    AttemptClosed,
    attempt_finish,
    attempt_start,
    closed_reason,
    invitation_settle,
)
from bank.selectors import preferred_language
from web.session import remember_invitation, with_invitation
from web.statements import render_markdown


def message_page(request: HttpRequest, heading: str, text: str, *, status: int) -> HttpResponse:
    return render(request, "web/message.html", {"heading": heading, "text": text}, status=status)


def no_attempt(request: HttpRequest) -> HttpResponse:
    return message_page(
        request,
        "No assessment open in this browser",
        "Open the link from your invitation email to start or continue your assessment.",
        status=403,
    )


@require_GET
def open_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the invitation email: remember the attempt, then leave the token's URL."""
    invitation = invitation_by_token(token)
    if invitation is None:
        return message_page(
            request,
            "This link is not valid",
            "Check that you opened the whole link from your invitation email. If it still "
            "does not work, ask the company that invited you for a new one.",
            status=404,
        )
    invitation = invitation_settle(invitation=invitation)
    if invitation.status == Invitation.Status.EXPIRED:
        return message_page(
            request,
            "This invitation has expired",
            closed_reason(invitation) + " Ask the company that invited you for a new link.",
            status=410,
        )
    if invitation.status == Invitation.Status.REVOKED:
        return message_page(
            request, "This invitation was withdrawn", closed_reason(invitation), status=410
        )
    remember_invitation(request, invitation)
    return HttpResponseRedirect(reverse("candidate:home"))


@require_GET
@with_invitation(no_attempt)
def home(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """The intro before the start, the first step during the attempt, a summary after it."""
    if invitation.status == Invitation.Status.STARTED:
        return HttpResponseRedirect(reverse("candidate:step", args=[1]))
    steps = attempt_steps(invitation)
    if invitation.status == Invitation.Status.INVITED:
        return render(
            request,
            "web/intro.html",
            {
                "invitation": invitation,
                "assessment": invitation.assessment,
                "intro_html": render_markdown(invitation.assessment.intro),
                "steps": steps,
            },
        )
    return render(
        request,
        "web/finished.html",
        {"invitation": invitation, "reason": closed_reason(invitation), "steps": steps},
        status=200 if invitation.status == Invitation.Status.SUBMITTED else 410,
    )


@require_POST
@with_invitation(no_attempt)
def start(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    try:
        attempt_start(invitation=invitation)
    except AttemptClosed as exc:
        return message_page(request, "The assessment cannot be started", str(exc), status=403)
    return HttpResponseRedirect(reverse("candidate:step", args=[1]))


@require_POST
@with_invitation(no_attempt)
def finish(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    attempt_finish(invitation=invitation)
    return HttpResponseRedirect(reverse("candidate:home"))


@require_GET
@with_invitation(no_attempt)
def step(request: HttpRequest, invitation: Invitation, number: int) -> HttpResponse:
    """One exercise (statement beside the editor) or one question."""
    if not invitation.accepts_work(timezone.now()):
        return HttpResponseRedirect(reverse("candidate:home"))  # it says why
    steps = attempt_steps(invitation)
    if not 1 <= number <= len(steps):
        return message_page(
            request, "No such step", f"This assessment has {len(steps)} steps.", status=404
        )
    current = steps[number - 1]
    context: dict[str, Any] = {
        "invitation": invitation,
        "steps": steps,
        "current": current,
        "previous": steps[number - 2] if number > 1 else None,
        "next": steps[number] if number < len(steps) else None,
    }
    item = current.item
    if item.exercise is not None:
        version = item.pinned_exercise_version
        draft = draft_get(invitation, item)
        context.update(
            version=version,
            statement_html=render_markdown(version.statement),
            public_tests=[
                (name, render_markdown(f"```python\n{source}\n```"))
                for name, source in sorted(version.public_tests.items())
            ],
            initial_code=draft.code if draft else version.starter,
            saved_at=draft.saved_at.isoformat() if draft else "",
        )
        return render(request, "web/exercise.html", context)
    version = item.pinned_question_version
    language = preferred_language(request.headers.get("Accept-Language", ""), version.languages)
    answer = answer_get(invitation, item)
    context.update(
        version=version,
        language=language,
        prompt_html=render_markdown(version.texts[language]["prompt"]),
        choices=[
            (index, render_markdown(text))
            for index, text in enumerate(version.choices.get(language, []))
        ],
        selected=set(answer.choices) if answer else set(),
        text=answer.text if answer else "",
        saved_at=answer.saved_at.isoformat() if answer else "",
    )
    return render(request, "web/question.html", context)
