"""Authoring pages: the organization's own exercises, a new one (from the template, a zip, or a
copy of a bank exercise), the editor, publishing a validated content, export as a zip, and
re-grading older submissions after a fix. The editor's JSON endpoints are in
authoring_endpoints; every lookup is scoped to the member's organization."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bank.authoring import (
    AuthoringError,
    exercise_copy,
    exercise_draft,
    exercise_draft_create,
    exercise_draft_from_version,
    exercise_draft_save,
    exercise_import,
    exercise_publish,
    publish_refusal,
)
from bank.authoring_selectors import authored_exercises, exercise_version_get, validation_latest
from bank.draft_files import version_files
from bank.models import Exercise, ExerciseVersion
from bank.package_zip import MAX_ZIP_BYTES, PackageZipError, export_zip, import_zip
from bank.selectors import visible_to
from submissions.services.regrade import RegradeError, exercise_regrade, regrade_candidates
from web.interviewer import authoring_endpoints as endpoints
from web.interviewer.access import member_required, organization_of
from web.interviewer.authoring_endpoints import own_exercise, validation_payload


class NewExerciseForm(forms.Form):
    slug = forms.CharField(
        max_length=100, help_text="Lowercase letters, digits and dashes: it names the exercise."
    )
    title = forms.CharField(max_length=200)


class ImportForm(forms.Form):
    package = forms.FileField(
        help_text="A zip of one package in the exercises/ format (one folder named by its slug)."
    )

    def clean_package(self) -> dict[str, str]:
        upload = self.cleaned_data["package"]
        if upload.size > MAX_ZIP_BYTES:
            raise forms.ValidationError(f"The zip is over {MAX_ZIP_BYTES // 2**20} MB.")
        try:
            return import_zip(upload.read())
        except PackageZipError as exc:
            raise forms.ValidationError(f"This zip cannot be imported: {exc}") from exc


class CopyForm(forms.Form):
    slug = forms.CharField(max_length=100, help_text="The slug of your copy.")


def _version_of(exercise: Exercise, number: int) -> ExerciseVersion:
    version = exercise_version_get(exercise=exercise, number=number)
    if version is None:
        raise Http404("no such version")
    return version


def _edit_url(exercise: Exercise) -> str:
    return reverse("interviewer:exercise-edit", kwargs={"exercise_slug": exercise.slug})


@require_GET
@member_required
def exercises(request: HttpRequest) -> HttpResponse:
    rows = authored_exercises(organization=organization_of(request))
    return render(request, "interviewer/authoring_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@member_required(author=True)
def exercise_new(request: HttpRequest) -> HttpResponse:
    form = NewExerciseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = exercise_draft_create(
                organization=organization_of(request),
                actor=request.user,
                slug=form.cleaned_data["slug"].strip(),
                title=form.cleaned_data["title"],
            )
        except AuthoringError as exc:
            form.add_error(None, str(exc)[:1].upper() + str(exc)[1:] + ".")
        else:
            messages.success(request, "Exercise created from a small working example: edit it.")
            return redirect(_edit_url(exercise))
    return render(
        request, "interviewer/authoring_new.html", {"form": form, "import_form": ImportForm()}
    )


@require_http_methods(["GET", "POST"])
@member_required(author=True)
def exercise_import_new(request: HttpRequest) -> HttpResponse:
    import_form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and import_form.is_valid():
        try:
            exercise = exercise_import(
                organization=organization_of(request),
                actor=request.user,
                files=import_form.cleaned_data["package"],
            )
        except AuthoringError as exc:
            import_form.add_error(None, f"This zip cannot be imported: {exc}.")
        else:
            messages.success(request, f"Imported {exercise.slug}: validate it, then publish.")
            return redirect(_edit_url(exercise))
    return render(
        request,
        "interviewer/authoring_new.html",
        {"form": NewExerciseForm(), "import_form": import_form},
    )


@require_GET
@member_required(author=True)
def exercise_edit(request: HttpRequest, exercise_slug: str) -> HttpResponse:
    exercise = own_exercise(request, exercise_slug)
    try:
        draft = exercise_draft(exercise)
    except AuthoringError as exc:
        raise Http404(str(exc)) from exc
    latest = validation_latest(exercise=exercise)
    slug = exercise.slug
    urls = {
        name: reverse(f"interviewer:exercise-{name}", kwargs={"exercise_slug": slug})
        for name in ("draft", "preview", "validate", "publish", "export")
    }
    data = {
        "files": draft.files,
        "content_hash": draft.content_hash,
        "validation": validation_payload(latest) if latest else None,
        "publish_refusal": publish_refusal(exercise, draft),
        "urls": urls,
    }
    return render(
        request,
        "interviewer/authoring_edit.html",
        {
            "exercise": exercise,
            "draft": draft,
            "data": data,
            "validation": latest,
            "payload": data["validation"],
            "publish_refusal": data["publish_refusal"],
            "versions": exercise.versions.defer("package").order_by("-number"),
            "import_form": ImportForm(),
        },
    )


@require_POST
@member_required(author=True)
def exercise_reimport(request: HttpRequest, exercise_slug: str) -> HttpResponse:
    """A zip replaces the draft's files (its exercise.toml must name this exercise)."""
    exercise = own_exercise(request, exercise_slug)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(_edit_url(exercise))
    try:
        exercise_draft_save(
            exercise=exercise, actor=request.user, files=form.cleaned_data["package"]
        )
    except AuthoringError as exc:
        messages.error(request, f"This zip cannot be imported: {exc}.")
    else:
        messages.success(request, "The draft now holds the zip's files.")
    return redirect(_edit_url(exercise))


@require_POST
@member_required(author=True)
def exercise_reset(request: HttpRequest, exercise_slug: str) -> HttpResponse:
    """The draft goes back to a published version's files (form field `version`)."""
    exercise = own_exercise(request, exercise_slug)
    raw = request.POST.get("version", "")
    if not raw.isdigit():
        messages.error(request, "Choose a version to start from.")
        return redirect(_edit_url(exercise))
    version = _version_of(exercise, int(raw))
    try:
        exercise_draft_from_version(exercise=exercise, actor=request.user, version=version)
    except AuthoringError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"The draft now holds version {version.number}'s files.")
    return redirect(_edit_url(exercise))


@require_POST
@member_required(author=True)
def exercise_publish_view(request: HttpRequest, exercise_slug: str) -> HttpResponse:
    exercise = own_exercise(request, exercise_slug)
    before = exercise.versions.count()
    try:
        version = exercise_publish(exercise=exercise, actor=request.user)
    except AuthoringError as exc:
        messages.error(request, str(exc))
        return redirect(_edit_url(exercise))
    if exercise.versions.count() > before:
        messages.success(request, f"Published version {version.number}.")
    else:
        messages.info(request, f"This content is version {version.number}; it is current again.")
    return redirect(
        "interviewer:exercise-version", exercise_slug=exercise.slug, version_number=version.number
    )


@require_GET
@member_required
def exercise_version(request: HttpRequest, exercise_slug: str, version_number: int) -> HttpResponse:
    """A published version: what it is, and re-grading older submissions against it."""
    exercise = own_exercise(request, exercise_slug)
    version = _version_of(exercise, version_number)
    return render(
        request,
        "interviewer/authoring_version.html",
        {
            "exercise": exercise,
            "version": version,
            "is_current": exercise.current_version_id == version.pk,
            "regrade_count": regrade_candidates(exercise=exercise, version=version).count(),
            "versions": exercise.versions.defer("package").order_by("-number"),
        },
    )


@require_POST
@member_required(author=True)
def exercise_regrade_view(
    request: HttpRequest, exercise_slug: str, version_number: int
) -> HttpResponse:
    exercise = own_exercise(request, exercise_slug)
    version = _version_of(exercise, version_number)
    try:
        queued = exercise_regrade(exercise=exercise, version=version, actor=request.user)
    except RegradeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"{len(queued)} submissions queued for re-grading against version {version.number}; "
            "their old results stay until the new ones are in.",
        )
    return redirect(
        "interviewer:exercise-version", exercise_slug=exercise.slug, version_number=version.number
    )


@require_GET
@member_required
def exercise_export(request: HttpRequest, exercise_slug: str) -> HttpResponse:
    """The draft (or `?version=N`) as `<slug>.zip`, in the exercises/ format."""
    exercise = own_exercise(request, exercise_slug)
    raw = request.GET.get("version", "").strip()
    files: dict[str, str] | dict[str, bytes]
    if raw:
        if not raw.isdigit():
            raise Http404("no such version")
        files = version_files(bytes(_version_of(exercise, int(raw)).package))
    else:
        try:
            files = exercise_draft(exercise).files
        except AuthoringError as exc:
            raise Http404(str(exc)) from exc
    response = HttpResponse(export_zip(files, folder=exercise.slug), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{exercise.slug}.zip"'
    return response


@require_http_methods(["GET", "POST"])
@member_required(author=True)
def exercise_copy_view(request: HttpRequest, exercise_slug: str) -> HttpResponse:
    """Copy an exercise the organization may see (the shared bank's, say) into its own."""
    organization = organization_of(request)
    source = (
        Exercise.objects.filter(visible_to(organization), ~Q(current_version=None))
        .filter(slug=exercise_slug)
        .select_related("current_version")
        .first()
    )
    if source is None:
        raise Http404("not found")
    form = CopyForm(request.POST or None, initial={"slug": f"{source.slug}-copy"})
    if request.method == "POST" and form.is_valid():
        try:
            copy = exercise_copy(
                source=source,
                organization=organization,
                actor=request.user,
                slug=form.cleaned_data["slug"].strip(),
            )
        except AuthoringError as exc:
            form.add_error(None, str(exc)[:1].upper() + str(exc)[1:] + ".")
        else:
            messages.success(request, f"Copied {source.slug} into {copy.slug}: edit your copy.")
            return redirect(_edit_url(copy))
    return render(request, "interviewer/authoring_copy.html", {"source": source, "form": form})


_EXERCISE = "app/exercises/<slug:exercise_slug>"
urlpatterns = [
    path("app/exercises/", exercises, name="exercises"),
    path("app/exercises/new", exercise_new, name="exercise-new"),
    path("app/exercises/import", exercise_import_new, name="exercise-import"),
    path(f"{_EXERCISE}/edit", exercise_edit, name="exercise-edit"),
    path(f"{_EXERCISE}/draft", endpoints.draft, name="exercise-draft"),
    path(f"{_EXERCISE}/preview", endpoints.preview, name="exercise-preview"),
    path(f"{_EXERCISE}/validate", endpoints.validate, name="exercise-validate"),
    path(
        f"{_EXERCISE}/validations/<int:validation_id>",
        endpoints.validation,
        name="exercise-validation",
    ),
    path(f"{_EXERCISE}/publish", exercise_publish_view, name="exercise-publish"),
    path(f"{_EXERCISE}/export", exercise_export, name="exercise-export"),
    path(f"{_EXERCISE}/import", exercise_reimport, name="exercise-reimport"),
    path(f"{_EXERCISE}/reset", exercise_reset, name="exercise-reset"),
    path(f"{_EXERCISE}/copy", exercise_copy_view, name="exercise-copy"),
    path(f"{_EXERCISE}/versions/<int:version_number>", exercise_version, name="exercise-version"),
    path(
        f"{_EXERCISE}/versions/<int:version_number>/regrade",
        exercise_regrade_view,
        name="exercise-regrade",
    ),
]
