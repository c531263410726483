"""The interviewer's landing page: what is going on in the organization."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from assessments.models import Assessment, Invitation
from web.interviewer.access import member_required, organization_of


@member_required
def home(request: HttpRequest) -> HttpResponse:
    organization = organization_of(request)
    invitations = Invitation.objects.filter(assessment__organization=organization)
    return render(
        request,
        "interviewer/home.html",
        {
            "assessments": Assessment.objects.filter(organization=organization)[:10],
            "counts": {
                status.label: invitations.filter(status=status.value).count()
                for status in Invitation.Status
            },
        },
    )


urlpatterns = [path("app/", home, name="home")]
