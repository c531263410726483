from django.contrib import admin

from bank.models import Exercise, ExerciseVersion


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["slug", "current_version", "is_active", "updated_at"]


@admin.register(ExerciseVersion)
class ExerciseVersionAdmin(admin.ModelAdmin):
    list_display = ["exercise", "number", "title", "difficulty", "gpu", "created_at"]
    exclude = ["package"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # versions are immutable
