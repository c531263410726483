"""Writes to the bank: sync exercise packages and question files from disk, and unpack a version
for grading."""

from __future__ import annotations

import io
import logging
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet

from bank.models import Exercise, ExerciseVersion, Question, QuestionVersion
from bank.question_files import Question as QuestionFile
from bank.question_files import load_question_folder
from graders.package import Exercise as ExercisePackage
from graders.package import ExerciseError, bank_packages, load_exercise

log = logging.getLogger(__name__)


@dataclass
class SyncResult:
    created: list[str] = field(default_factory=list)  # "slug@number" of each new version
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # invalid packages, skipped


def _pack(root: Path) -> bytes:
    """The package as a gzipped tar, files in a stable order, without caches."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root)
            if path.is_dir() or "__pycache__" in relative.parts or path.suffix == ".pyc":
                continue
            info = tar.gettarinfo(str(path), arcname=str(relative))
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            with path.open("rb") as f:
                tar.addfile(info, f)
    return buffer.getvalue()


def _read_public_tests(root: Path) -> dict[str, str]:
    folder = root / "tests" / "public"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.py"))}


def _next_number(versions: QuerySet[Any]) -> int:
    """The number of the next version among `versions` (1 for the first)."""
    last = versions.order_by("-number").first()
    return last.number + 1 if last else 1


def _make_current(row: Exercise | Question, version: ExerciseVersion | QuestionVersion) -> None:
    """Point an exercise or question at `version` and open it, saving only if that changes it."""
    if row.current_version_id != version.pk or not row.is_active:
        row.current_version = version
        row.is_active = True
        row.save(update_fields=["current_version", "is_active", "updated_at"])


def _close_all_but(rows: QuerySet[Any], slugs: set[str]) -> list[str]:
    """Close the open rows whose slug is not in `slugs`; return their slugs."""
    closed = []
    for row in rows.filter(is_active=True).exclude(slug__in=slugs):
        row.is_active = False
        row.save(update_fields=["is_active", "updated_at"])
        closed.append(row.slug)
    return closed


@transaction.atomic
def exercise_sync_package(*, path: Path) -> tuple[ExerciseVersion, bool]:
    """Load the package at `path` into the bank; return its current version and whether it is
    new. A version is created only when the package's content hash changed."""
    package = load_exercise(path)
    exercise, _ = Exercise.objects.select_for_update().get_or_create(slug=package.slug)
    if exercise.organization_id is not None:
        # Slugs are unique across organizations, so that a link or an API call names one
        # exercise; the shared bank never takes over an organization's exercise.
        raise ExerciseError(f"{package.slug}: the slug belongs to an organization's exercise")
    version, created = exercise_version_from_package(exercise=exercise, package=package)
    _make_current(exercise, version)
    return version, created


def exercise_version_from_package(
    *, exercise: Exercise, package: ExercisePackage
) -> tuple[ExerciseVersion, bool]:
    """The version of `exercise` holding exactly `package` (loaded and checked by the caller):
    the existing one with the same content hash, or a new one numbered after the last. The
    exercise's current version is left as it is. Call inside a transaction holding the
    exercise's row lock."""
    digest = package.content_hash()
    existing = exercise.versions.filter(content_hash=digest).first()
    if existing is not None:
        created = False
        version = existing
    else:
        limits = package.limits
        version = ExerciseVersion.objects.create(
            exercise=exercise,
            number=_next_number(exercise.versions),
            content_hash=digest,
            title=package.title,
            difficulty=package.difficulty,
            tags=list(package.tags),
            gpu=limits.gpu,
            limits={name: getattr(limits, name) for name in limits.__dataclass_fields__},
            scoring={"correctness": package.scoring.correctness, "speed": package.scoring.speed},
            statement=package.statement_path.read_text(encoding="utf-8"),
            starter=package.starter_path.read_text(encoding="utf-8"),
            public_tests=_read_public_tests(package.path),
            package=_pack(package.path),
        )
        created = True
    return version, created


def exercise_sync_directory(*, bank: Path) -> SyncResult:
    """Sync every package folder in `bank`; deactivate exercises whose folder is gone.

    An invalid package is reported and skipped: it must not stop the others from syncing.
    """
    result = SyncResult()
    seen: set[str] = set()
    for folder in bank_packages(bank):
        try:
            version, created = exercise_sync_package(path=folder)
        except ExerciseError as exc:
            result.errors.append(str(exc))
            continue
        seen.add(version.exercise.slug)
        label = f"{version.exercise.slug}@{version.number}"
        (result.created if created else result.unchanged).append(label)
    result.deactivated = _close_all_but(Exercise.objects.filter(organization=None), seen)
    return result


QUESTIONS_FOLDER = "questions"  # inside the bank: exercises/questions/<slug>.toml


@transaction.atomic
def question_sync_file(*, question: QuestionFile) -> tuple[QuestionVersion, bool]:
    """Store a loaded question file; a new version only when the file's content changed."""
    row, _ = Question.objects.select_for_update().get_or_create(slug=question.slug)
    if row.organization_id is not None:  # as in exercise_sync_package
        raise ValueError(f"{question.slug}: the slug belongs to an organization's question")
    version = row.versions.filter(content_hash=question.content_hash).first()
    created = version is None
    if version is None:
        version = QuestionVersion.objects.create(
            question=row,
            number=_next_number(row.versions),
            content_hash=question.content_hash,
            kind=question.kind,
            topic=question.topic,
            difficulty=question.difficulty,
            tags=list(question.tags),
            points=question.points,
            answer=list(question.answer),
            texts=question.texts,
            choices={language: list(items) for language, items in question.choices.items()},
            rubric=[
                {"points": item.points, "criterion": item.criterion} for item in question.rubric
            ],
        )
    _make_current(row, version)
    return version, created


def question_sync_directory(*, folder: Path) -> SyncResult:
    """Sync every question file in `folder`; deactivate questions whose file is gone.

    An invalid file is reported and skipped; a missing folder means no questions.
    """
    result = SyncResult()
    questions, result.errors = load_question_folder(folder) if folder.is_dir() else ([], [])
    for question in questions:
        version, created = question_sync_file(question=question)
        label = f"question {question.slug}@{version.number}"
        (result.created if created else result.unchanged).append(label)
    # A file that is there but failed to load keeps its question open at its last good version.
    on_disk = {path.stem for path in folder.glob("*.toml")} if folder.is_dir() else set()
    closed = _close_all_but(Question.objects.filter(organization=None), on_disk)
    result.deactivated = [f"question {slug}" for slug in closed]
    return result


def exercise_version_unpack(version: ExerciseVersion) -> Path:
    """The version's package as a folder (unpacked once, then reused), for the sandbox.

    It lands in <PACKAGES_DIR>/<content hash>/<slug> (a package folder is named by its slug),
    unpacked in a temporary folder renamed into place, so concurrent workers never see half a
    package.
    """
    slug = version.exercise.slug
    home = Path(settings.PACKAGES_DIR) / version.content_hash
    if (home / slug).is_dir():
        return home / slug
    home.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpack-", dir=home.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(bytes(version.package)), mode="r:gz") as tar:
            tar.extractall(staging / slug, filter="data")  # no links out, no absolute paths
        os.chmod(staging, 0o755)
        try:
            staging.rename(home)
        except OSError:
            if not (home / slug).is_dir():  # not another worker winning the race: a failure
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return home / slug
