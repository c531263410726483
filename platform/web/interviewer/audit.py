"""The owner's audit page: who changed which exercise, assessment or member, and who viewed
which report, newest first."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from accounts.selectors import audit_list
from web.interviewer.access import member_required, organization_of

PAGE_SIZE = 50


@member_required(owner=True)
@require_safe
def audit(request: HttpRequest) -> HttpResponse:
    organization = organization_of(request)
    action = request.GET.get("action", "").strip()
    actor = request.GET.get("actor", "").strip()
    events = audit_list(organization=organization)
    # Who and which actions can be picked: those the trail holds, before filtering.
    unordered = events.order_by()
    actors = sorted(
        unordered.filter(actor__isnull=False).values_list("actor_id", "actor__email").distinct(),
        key=lambda pair: pair[1],
    )
    prefixes = sorted(
        {name.split(".")[0] for name in unordered.values_list("action", flat=True).distinct()}
    )
    if action:
        events = events.filter(action__startswith=action)
    if actor.isdigit():
        events = events.filter(actor_id=int(actor))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "page": page,
        "action": action,
        "actor": actor,
        "actors": actors,
        "prefixes": prefixes,
        "query": query.urlencode(),
    }
    return render(request, "interviewer/audit.html", context)


urlpatterns: list[URLPattern] = [path("app/audit/", audit, name="audit")]
