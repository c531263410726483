"""Similarity flags: pairs of candidates whose final submissions share much of their code, and
one pair side by side. Evidence for a human to read, never a verdict."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from assessments.models import Invitation
from assessments.similarity import DEFAULT_THRESHOLD
from assessments.similarity_flags import similarity_flags, similarity_pair
from bank.models import Exercise
from bank.selectors import visible_to
from web.interviewer.access import member_required, organization_of


def _threshold(request: HttpRequest) -> float:
    raw = request.GET.get("threshold", "").strip()
    if not raw:
        return DEFAULT_THRESHOLD
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0.05 <= value <= 1:
        messages.error(
            request,
            f"The threshold must be a number from 0.05 to 1 (got {raw[:20]!r}); "
            f"showing pairs at {DEFAULT_THRESHOLD:g} or more.",
        )
        return DEFAULT_THRESHOLD
    return value


@member_required
def similarity_page(request: HttpRequest) -> HttpResponse:
    threshold = _threshold(request)
    flags = similarity_flags(organization=organization_of(request), threshold=threshold)
    return render(
        request,
        "interviewer/similarity.html",
        {"flags": flags, "threshold": threshold, "threshold_percent": round(threshold * 100)},
    )


@member_required
def similarity_pair_page(
    request: HttpRequest, exercise_slug: str, invitation_id: UUID, other_invitation_id: UUID
) -> HttpResponse:
    organization = organization_of(request)
    exercise = get_object_or_404(
        Exercise.objects.filter(visible_to(organization)), slug=exercise_slug
    )
    invitations = Invitation.objects.filter(assessment__organization=organization)
    first = get_object_or_404(invitations, id=invitation_id)
    second = get_object_or_404(invitations, id=other_invitation_id)
    comparison = similarity_pair(
        organization=organization, exercise=exercise, first=first, second=second
    )
    return render(request, "interviewer/similarity_pair.html", {"comparison": comparison})


urlpatterns = [
    path("app/similarity/", similarity_page, name="similarity"),
    path(
        "app/similarity/<slug:exercise_slug>/<uuid:invitation_id>/<uuid:other_invitation_id>",
        similarity_pair_page,
        name="similarity-pair",
    ),
]
