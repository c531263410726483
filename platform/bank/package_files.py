"""The text files of an exercise version's package, read from its stored tar (for interviewers
to read the reference, the hidden tests and the mutants; never for candidates)."""

from __future__ import annotations

import io
import tarfile

from bank.models import ExerciseVersion

MAX_FILE_BYTES = 256 * 1024  # a page shows source, not data: bigger files are left out
MAX_TOTAL_BYTES = 4 * 1024 * 1024


def package_files(version: ExerciseVersion) -> dict[str, str]:
    """The package's text files, path (relative, "/"-separated) -> text, in path order.

    Binary files (weights, arrays: not UTF-8 or with NUL bytes), files over MAX_FILE_BYTES and
    whatever comes after MAX_TOTAL_BYTES are left out."""
    files: dict[str, str] = {}
    total = 0
    with tarfile.open(fileobj=io.BytesIO(bytes(version.package)), mode="r:gz") as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not member.isfile() or member.size > MAX_FILE_BYTES:
                continue
            if total + member.size > MAX_TOTAL_BYTES:
                break
            extracted = tar.extractfile(member)
            if extracted is None:
                continue
            data = extracted.read()
            if b"\0" in data:
                continue
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            files[member.name.removeprefix("./")] = text
            total += member.size
    return files
