"""Assessments and invitations are created here until the interviewer screens exist (issue 7).
A new invitation's link is shown once, in the confirmation message: only its hash is stored."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse

from assessments.models import Assessment, AssessmentItem, Invitation
from assessments.services import invitation_create


class AssessmentItemInline(admin.TabularInline):
    model = AssessmentItem
    extra = 1
    ordering = ["position"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["title", "duration_minutes", "show_hidden_results", "created_at"]
    inlines = [AssessmentItemInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["candidate_name", "candidate_email", "assessment", "status", "deadline"]
    list_filter = ["status", "assessment"]
    fields = [
        "assessment",
        "candidate_name",
        "candidate_email",
        "expires_at",
        "status",
        "started_at",
        "deadline",
        "finished_at",
        "finish_reason",
    ]
    readonly_fields = ["status", "started_at", "deadline", "finished_at", "finish_reason"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        invitation, token = invitation_create(
            assessment=obj.assessment,
            candidate_name=obj.candidate_name,
            candidate_email=obj.candidate_email,
            expires_at=obj.expires_at,
        )
        obj.__dict__.update(invitation.__dict__)  # the admin's log and redirect use obj
        link = request.build_absolute_uri(reverse("candidate:open", args=[token]))
        messages.warning(request, f"Send this link to the candidate; it is shown only once: {link}")
