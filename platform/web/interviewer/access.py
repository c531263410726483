"""Who may reach an interviewer page, and the organization every lookup is scoped to.

`member_required` lets in signed-in members of an organization (with a role that allows the
page) and puts their Membership on `request.membership`. Views then reach objects only through
`request.membership.organization`; `scoped_or_404` is the one way to fetch one by id.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from accounts.models import Membership, Organization
from accounts.selectors import membership_of

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponse]


class MemberRequest(HttpRequest):
    """What a view behind `member_required` receives (for type checkers)."""

    membership: Membership


def member_required(view: View | None = None, *, author: bool = False, owner: bool = False) -> Any:
    """Let in members of an organization; `author=True` also needs a role that authors
    (owner, author), `owner=True` the owner. Anonymous users go to the sign-in page; a
    signed-in user outside any organization gets a 404 (nothing here is theirs)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = membership_of(request.user)
            if membership is None:
                raise Http404("no organization")
            if owner and not membership.can_manage_members:
                raise PermissionDenied("Only the organization's owner can do this.")
            if author and not membership.can_author:
                raise PermissionDenied("Reviewers read; only owners and authors change things.")
            request.membership = membership  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate


def organization_of(request: HttpRequest) -> Organization:
    """The organization of the member behind `member_required`."""
    membership: Membership = request.membership  # type: ignore[attr-defined]
    return membership.organization


def scoped_or_404(queryset: QuerySet[M], organization: Organization, **lookup: Any) -> M:
    """The one object of `queryset` matching `lookup` that belongs to `organization` (through
    its `organization` field), else 404: another organization's object does not exist here."""
    found = queryset.filter(organization=organization, **lookup).first()
    if found is None:
        raise Http404("not found")
    return found
