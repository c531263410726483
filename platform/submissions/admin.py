from django.contrib import admin

from submissions.models import Submission, SubmissionTest


class SubmissionTestInline(admin.TabularInline):
    model = SubmissionTest
    extra = 0
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["id", "owner", "exercise_version", "status", "verdict", "score", "created_at"]
    list_filter = ["status", "verdict", "suite"]
    inlines = [SubmissionTestInline]
