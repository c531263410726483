"""Which attempt this browser works on: the invitation's id in the Django session.

Opening `/a/<token>` puts it there and redirects to token-free URLs, so the token appears in
one request only (and is redacted from the logs). Another browser opens the same link and
continues the same attempt: drafts live on the server.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec

from django.http import HttpRequest, HttpResponse

from assessments.models import Invitation
from assessments.selectors import invitation_by_id
from assessments.services import invitation_settle

SESSION_KEY = "tj_invitation"
P = ParamSpec("P")


def remember_invitation(request: HttpRequest, invitation: Invitation) -> None:
    if request.session.get(SESSION_KEY) != str(invitation.id):
        request.session.cycle_key()  # a new attempt, a new session id (no fixation)
    request.session[SESSION_KEY] = str(invitation.id)


def current_invitation(request: HttpRequest) -> Invitation | None:
    invitation_id = request.session.get(SESSION_KEY)
    invitation = invitation_by_id(invitation_id) if invitation_id else None
    return invitation_settle(invitation=invitation) if invitation else None


def with_invitation(
    on_missing: Callable[[HttpRequest], HttpResponse],
) -> Callable[
    [Callable[Concatenate[HttpRequest, Invitation, P], HttpResponse]],
    Callable[Concatenate[HttpRequest, P], HttpResponse],
]:
    """Pass the browser's (settled) invitation to the view, or answer `on_missing(request)`."""

    def decorate(
        view: Callable[Concatenate[HttpRequest, Invitation, P], HttpResponse],
    ) -> Callable[Concatenate[HttpRequest, P], HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            invitation = current_invitation(request)
            if invitation is None:
                return on_missing(request)
            return view(request, invitation, *args, **kwargs)

        return wrapped

    return decorate
