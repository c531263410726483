"""An exercise package as a mapping of relative paths to text, as the browser edits it.

What may be in a package edited in the browser (the folders of exercises/README.md, text only,
bounded sizes), the content hash of such a mapping (the same as `graders.package.Exercise.
content_hash()` of the folder it is written to, so a draft, its validation and the version it
becomes share one hash), and the round trip to a folder on disk.
"""

from __future__ import annotations

import hashlib
import io
import re
import tarfile
import tomllib
from collections.abc import Mapping
from pathlib import Path

from django.conf import settings

MAX_FILE_BYTES = 512 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024
MAX_FILES = 200
MAX_PATH_CHARS = 200

TOP_LEVEL_FILES = ("exercise.toml", "statement.md", "starter.py", "solution.py")
# folder -> (extensions allowed in it, whether it may have subfolders)
FOLDERS: dict[str, tuple[tuple[str, ...], bool]] = {
    "support": ((".py", ".txt", ".json", ".csv", ".md"), True),
    "tests/public": ((".py", ".json", ".txt", ".csv"), False),
    "tests/hidden": ((".py", ".json", ".txt", ".csv"), False),
    "mutants": ((".py",), False),
}
# Files the sandbox grades as a solution: bounded like a candidate's code.
_GRADED = re.compile(r"^(solution\.py|starter\.py|mutants/[^/]+\.py)$")
_SEGMENT = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def path_problem(path: str) -> str | None:
    """Why `path` cannot be a file of a package (None when it can): relative, no "..", no
    hidden files, one of the top-level files or inside an allowed folder with its extension."""
    if not path or len(path) > MAX_PATH_CHARS:
        return f"a path has 1 to {MAX_PATH_CHARS} characters"
    if path.startswith("/") or "\\" in path or ":" in path:
        return "must be a relative path with / between folders"
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return "must not contain empty parts, '.' or '..'"
    bad = next((part for part in parts if not _SEGMENT.match(part)), None)
    if bad is not None:
        return f"{bad!r}: names are letters, digits, '_', '-' and '.' (not starting with '.')"
    if len(parts) == 1:
        if path in TOP_LEVEL_FILES:
            return None
        return f"top-level files are {', '.join(TOP_LEVEL_FILES)}; put others in support/"
    for folder, (extensions, nested) in FOLDERS.items():
        prefix = folder + "/"
        if path.startswith(prefix):
            rest = path[len(prefix) :]
            if "/" in rest and not nested:
                return f"{folder}/ has no subfolders"
            if not path.endswith(extensions):
                return f"files in {folder}/ end in {', '.join(extensions)}"
            return None
    return f"files go at the top level or in {', '.join(f + '/' for f in FOLDERS)}"


def files_problems(files: Mapping[str, str]) -> dict[str, str]:
    """Every reason `files` cannot be stored as a package, by path ("" for the whole):
    paths, text that is not valid Unicode, the size caps."""
    problems: dict[str, str] = {}
    if len(files) > MAX_FILES:
        problems[""] = f"{len(files)} files; a package has at most {MAX_FILES}"
    total = 0
    for path, text in files.items():
        reason = path_problem(path)
        if reason is None and not isinstance(text, str):
            reason = "must be text"
        if reason is not None:
            problems[path] = reason
            continue
        try:
            size = len(text.encode("utf-8"))
        except UnicodeEncodeError:
            problems[path] = "is not valid Unicode text (lone surrogates)"
            continue
        total += size
        if "\0" in text:
            problems[path] = "contains NUL characters: only text files can be edited here"
        elif size > MAX_FILE_BYTES:
            problems[path] = f"is {size} bytes; a file has at most {MAX_FILE_BYTES // 1024} KB"
        elif _GRADED.match(path) and size > settings.MAX_SOURCE_BYTES:
            limit_kb = settings.MAX_SOURCE_BYTES // 1024
            problems[path] = f"is {size} bytes; code the sandbox grades has at most {limit_kb} KB"
    if total > MAX_TOTAL_BYTES:
        problems[""] = f"the package is {total} bytes; at most {MAX_TOTAL_BYTES // 2**20} MB"
    return problems


def content_hash(files: Mapping[str, str]) -> str:
    """sha256 over every file (path and bytes) in the order `Exercise.content_hash()` uses
    (paths compared part by part), so both agree on the same content."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: tuple(p.split("/"))):
        digest.update(path.encode() + b"\0")
        digest.update(files[path].encode("utf-8") + b"\0")
    return digest.hexdigest()


def toml_slug(files: Mapping[str, str]) -> tuple[str | None, str | None]:
    """(slug, None) from exercise.toml, or (None, why it cannot be read)."""
    text = files.get("exercise.toml")
    if text is None:
        return None, "exercise.toml: missing"
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return None, f"exercise.toml: not valid TOML: {exc}"
    slug = document.get("slug")
    if not isinstance(slug, str) or not slug:
        return None, "exercise.toml: slug: is required"
    return slug, None


def write_package(files: Mapping[str, str], root: Path) -> None:
    """Write `files` (already checked) under `root`, readable by the sandbox's users."""
    root.mkdir(parents=True, exist_ok=True)
    root.chmod(0o755)
    for path, text in files.items():
        target = root / path
        for folder in reversed(target.relative_to(root).parents[:-1]):
            (root / folder).mkdir(exist_ok=True)
            (root / folder).chmod(0o755)
        target.write_text(text, encoding="utf-8")
        target.chmod(0o644)


def version_files(package: bytes) -> dict[str, bytes]:
    """The files of an ExerciseVersion's package (its gzipped tar), by relative path."""
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(package), mode="r:gz") as tar:
        for member in tar.getmembers():
            extracted = tar.extractfile(member) if member.isfile() else None
            if extracted is not None:
                files[member.name] = extracted.read()
    return files


def as_text(files: Mapping[str, bytes]) -> tuple[dict[str, str], list[str]]:
    """(the files decoded as UTF-8, the paths that are not text)."""
    text: dict[str, str] = {}
    binary: list[str] = []
    for path, data in files.items():
        try:
            text[path] = data.decode("utf-8")
        except UnicodeDecodeError:
            binary.append(path)
    return text, sorted(binary)
