"""Authoring an organization's exercises in the browser: a draft per exercise (its package as
text files), made from a template, a zip or a copy, and publishing a validated content of it as
a new immutable ExerciseVersion (validation itself: bank.validation).

Every change is audited. A content is known by its hash (bank.draft_files.content_hash, the
same as the version it becomes), so "validated" means: a PASSED validation of exactly this
hash.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

from accounts.audit import audit_record
from accounts.models import Organization
from bank.draft_files import (
    as_text,
    content_hash,
    files_problems,
    toml_slug,
    version_files,
    write_package,
)
from bank.draft_template import starter_package
from bank.models import Exercise, ExerciseDraft, ExerciseVersion, Validation
from bank.services import _make_current, exercise_version_from_package
from graders.package import SLUG_PATTERN, ExerciseError, load_exercise

UNFINISHED = (Validation.Status.QUEUED, Validation.Status.RUNNING)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AuthoringError(ValueError):
    """What an author asked for cannot be done; the message says why, for the author."""


class DraftInvalid(AuthoringError):
    """The files cannot be stored; `problems` maps each path at fault ("" for the whole
    package) to the reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = problems
        super().__init__(
            "; ".join(f"{path}: {why}" if path else why for path, why in sorted(problems.items()))
        )


def _check_new_slug(slug: str) -> None:
    if not SLUG_PATTERN.match(slug) or len(slug) > 100:
        raise AuthoringError(
            f"the slug {slug!r} is not valid: lowercase letters, digits and dashes "
            "(layer-norm, kmeans2), at most 100 characters"
        )
    # The shared bank's folders count too: syncing one later must not collide with this one.
    if Exercise.objects.filter(slug=slug).exists() or (settings.EXERCISES_DIR / slug).exists():
        raise AuthoringError(f"the slug {slug!r} is taken: choose another")


def _check_title(title: str) -> str:
    title = title.strip()
    if not 1 <= len(title) <= 200 or _CONTROL.search(title):
        raise AuthoringError("the title has 1 to 200 characters, on one line")
    return title


def _check_files(exercise_slug: str, files: dict[str, str]) -> None:
    problems = files_problems(files)
    if "exercise.toml" not in files:
        problems.setdefault("exercise.toml", "missing: it names the exercise")
    slug, _unreadable = toml_slug(files)
    # An exercise.toml that does not parse yet is kept (work in progress; validation names
    # the problem), but one that parses must keep naming this exercise.
    if slug is not None and slug != exercise_slug:
        problems.setdefault("exercise.toml", f"slug must stay {exercise_slug!r} (got {slug!r})")
    if problems:
        raise DraftInvalid(problems)


def _new_exercise(
    *, organization: Organization, actor: AbstractBaseUser, slug: str, files: dict[str, str]
) -> Exercise:
    _check_new_slug(slug)
    _check_files(slug, files)
    try:
        with transaction.atomic():  # a savepoint: a lost race on the slug is a clear error
            exercise = Exercise.objects.create(slug=slug, organization=organization)
    except IntegrityError as exc:
        raise AuthoringError(f"the slug {slug!r} is taken: choose another") from exc
    ExerciseDraft.objects.create(
        exercise=exercise, files=files, content_hash=content_hash(files), updated_by=actor
    )
    return exercise


@transaction.atomic
def exercise_draft_create(
    *, organization: Organization, actor: AbstractBaseUser, slug: str, title: str
) -> Exercise:
    """Create an exercise of `organization` with no version yet, its draft holding a small
    sound package (bank.draft_template) to edit. Raises AuthoringError (slug taken or
    invalid, title invalid)."""
    title = _check_title(title)
    files = starter_package(slug=slug, title=title)
    exercise = _new_exercise(organization=organization, actor=actor, slug=slug, files=files)
    audit_record(organization=organization, actor=actor, action="exercise.create", target=exercise)
    return exercise


@transaction.atomic
def exercise_import(
    *, organization: Organization, actor: AbstractBaseUser, files: dict[str, str]
) -> Exercise:
    """Create an exercise of `organization` from a package's files (a zip's, see
    bank.package_zip), named by the slug in its exercise.toml."""
    slug, unreadable = toml_slug(files)
    if slug is None:
        raise AuthoringError(f"the package has no usable slug ({unreadable})")
    exercise = _new_exercise(organization=organization, actor=actor, slug=slug, files=files)
    audit_record(
        organization=organization,
        actor=actor,
        action="exercise.import",
        target=exercise,
        detail={"files": len(files)},
    )
    return exercise


def _files_of(version: ExerciseVersion) -> dict[str, str]:
    text, binary = as_text(version_files(bytes(version.package)))
    if binary:
        raise AuthoringError(
            f"version {version.number} has files that are not text ({', '.join(binary)}): "
            "only text files can be edited in the browser"
        )
    return text


@transaction.atomic
def exercise_copy(
    *, source: Exercise, organization: Organization, actor: AbstractBaseUser, slug: str
) -> Exercise:
    """Copy `source`'s current version (a shared-bank exercise, say) into a new exercise of
    `organization` named `slug`, to edit as its own."""
    if source.current_version is None:
        raise AuthoringError(f"{source.slug!r} has no published version to copy")
    files = _files_of(source.current_version)
    _check_new_slug(slug)
    files["exercise.toml"], count = re.subn(
        r"^slug\s*=.*$", f'slug = "{slug}"', files.get("exercise.toml", ""), count=1, flags=re.M
    )
    if count != 1:
        raise AuthoringError(f"{source.slug!r}: its exercise.toml has no slug line to change")
    exercise = _new_exercise(organization=organization, actor=actor, slug=slug, files=files)
    audit_record(
        organization=organization,
        actor=actor,
        action="exercise.copy",
        target=exercise,
        detail={"from": f"{source.slug}@{source.current_version.number}"},
    )
    return exercise


def exercise_draft(exercise: Exercise) -> ExerciseDraft:
    """The exercise's draft; one made from its current version if it has none yet (an
    exercise that reached the organization another way)."""
    draft = ExerciseDraft.objects.filter(exercise=exercise).first()
    if draft is not None:
        return draft
    if exercise.current_version is None:
        raise AuthoringError(f"{exercise.slug!r} has neither a draft nor a version")
    files = _files_of(exercise.current_version)
    draft, _ = ExerciseDraft.objects.get_or_create(
        exercise=exercise, defaults={"files": files, "content_hash": content_hash(files)}
    )
    return draft


@transaction.atomic
def exercise_draft_from_version(
    *, exercise: Exercise, actor: AbstractBaseUser, version: ExerciseVersion | None = None
) -> ExerciseDraft:
    """Reset the draft to the files of `version` (default: the current one), to edit a
    published exercise from what candidates get, or to go back to an older version."""
    version = version or exercise.current_version
    if version is None or version.exercise_id != exercise.pk:
        raise AuthoringError(f"{exercise.slug!r} has no such version")
    files = _files_of(version)
    draft, _ = ExerciseDraft.objects.update_or_create(
        exercise=exercise,
        defaults={"files": files, "content_hash": content_hash(files), "updated_by": actor},
    )
    audit_exercise(exercise, actor, "exercise.draft_reset", {"version": version.number})
    return draft


@transaction.atomic
def exercise_draft_save(
    *, exercise: Exercise, actor: AbstractBaseUser, files: dict[str, str]
) -> ExerciseDraft:
    """Replace the draft's files with `files` (every file of the package by relative path).
    Raises DraftInvalid naming each file at fault: paths, sizes, text, and exercise.toml's
    slug, which must stay the exercise's."""
    _check_files(exercise.slug, files)
    draft = exercise_draft(exercise)
    digest = content_hash(files)
    if digest == draft.content_hash and files == draft.files:
        return draft
    draft.files, draft.content_hash, draft.updated_by = files, digest, actor
    draft.save(update_fields=["files", "content_hash", "updated_by", "updated_at"])
    audit_exercise(
        exercise, actor, "exercise.draft_save", {"content_hash": digest, "files": len(files)}
    )
    return draft


def audit_exercise(
    exercise: Exercise, actor: AbstractBaseUser | None, action: str, detail: dict[str, Any]
) -> None:
    assert exercise.organization is not None  # only an organization's exercises are authored
    audit_record(
        organization=exercise.organization,
        actor=actor,
        action=action,
        target=exercise,
        detail=detail,
    )


def publish_refusal(exercise: Exercise, draft: ExerciseDraft) -> str | None:
    """Why the draft's content cannot be published now (None: it can)."""
    latest = exercise.validations.order_by("-id").first()
    if latest is None:
        return "Validate the exercise first: only a validated content can be published."
    current = exercise.validations.filter(content_hash=draft.content_hash).order_by("-id")
    validation = current.first()
    if validation is None:
        return "The draft changed since its last validation: validate it again, then publish."
    if current.filter(status=Validation.Status.PASSED).exists():
        return None
    if validation.status in UNFINISHED:
        return "The validation is still running: publish once it has passed."
    if validation.status == Validation.Status.FAILED:
        return "The last validation failed: fix what it reports, validate again, then publish."
    return "The last validation could not run: see its problems, then validate again."


@transaction.atomic
def exercise_publish(*, exercise: Exercise, actor: AbstractBaseUser) -> ExerciseVersion:
    """Publish the draft's content as the exercise's current version (a new immutable one, or
    the existing version with that content). Only a content whose validation PASSED can be;
    else AuthoringError says why. Assessments keep the versions they pinned."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    draft = exercise_draft(exercise)
    refusal = publish_refusal(exercise, draft)
    if refusal is not None:
        raise AuthoringError(refusal)
    validation = exercise.validations.filter(
        content_hash=draft.content_hash, status=Validation.Status.PASSED
    ).first()
    assert validation is not None
    workdir = Path(tempfile.mkdtemp(prefix="tj-publish-"))
    try:
        root = workdir / exercise.slug
        write_package(validation.files, root)
        try:
            package = load_exercise(root)
        except ExerciseError as exc:  # it loaded when validated: only a changed loader gets here
            raise AuthoringError(str(exc).replace(f"{root}/", "")) from exc
        version, created = exercise_version_from_package(exercise=exercise, package=package)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    _make_current(exercise, version)
    audit_exercise(
        exercise,
        actor,
        "exercise.publish",
        {"version": version.number, "content_hash": version.content_hash, "new": created},
    )
    return version
