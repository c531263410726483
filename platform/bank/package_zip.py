"""Exercise packages as zip files, in the exercises/ format: `<slug>/exercise.toml`, ...

Import reads an uploaded zip defensively: it is untrusted input. The compressed size, the
number of entries and the uncompressed size are capped (each entry is read at most to the cap,
whatever its header claims, so a zip bomb stops early), links and encrypted entries are
refused, paths follow `bank.draft_files.path_problem` (no "..", no absolute paths), and every
file must be UTF-8 text.
"""

from __future__ import annotations

import io
import stat
import zipfile
from collections.abc import Mapping

from bank.draft_files import MAX_FILES, MAX_TOTAL_BYTES, files_problems

MAX_ZIP_BYTES = 4 * 1024 * 1024
MAX_ENTRIES = 2 * MAX_FILES  # folders have entries of their own
# Left out silently: what archivers and Python add on their own, never part of a package.
_JUNK_PARTS = ("__MACOSX", "__pycache__", ".DS_Store")


class PackageZipError(ValueError):
    """The zip cannot be imported; the message says why, naming the file at fault."""


def export_zip(files: Mapping[str, str | bytes], *, folder: str) -> bytes:
    """A zip of `files` inside one folder named `folder` (the exercise's slug), paths sorted,
    timestamps fixed, so the same package always gives the same bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{path}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            content = files[path]
            archive.writestr(info, content.encode("utf-8") if isinstance(content, str) else content)
    return buffer.getvalue()


def import_zip(data: bytes) -> dict[str, str]:
    """The package's files by relative path from the bytes of a zip; a single top-level folder
    (`kmeans/...`) is stripped. Raises PackageZipError."""
    if len(data) > MAX_ZIP_BYTES:
        raise PackageZipError(f"the zip is {len(data)} bytes; at most {MAX_ZIP_BYTES // 2**20} MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PackageZipError(f"not a zip file ({exc})") from exc
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise PackageZipError(f"the zip has {len(entries)} entries; at most {MAX_ENTRIES}")
        raw = _read_entries(archive, entries)
    files = _strip_top_folder(raw)
    if not files:
        raise PackageZipError("the zip holds no files")
    problems = files_problems(files)
    if problems:
        raise PackageZipError(
            "; ".join(f"{path}: {why}" if path else why for path, why in sorted(problems.items()))
        )
    return files


def _read_entries(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> dict[str, str]:
    files: dict[str, str] = {}
    total = 0
    for info in entries:
        name = info.filename
        if any(part in _JUNK_PARTS for part in name.split("/")) or name.endswith(".pyc"):
            continue
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise PackageZipError(f"{name}: symbolic links are not allowed in a package")
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise PackageZipError(f"{name}: encrypted entries are not supported")
        if name.startswith("/") or "\\" in name or ".." in name.split("/"):
            raise PackageZipError(f"{name}: paths must be relative, without '..'")
        if name in files:
            raise PackageZipError(f"{name}: appears twice in the zip")
        budget = MAX_TOTAL_BYTES - total
        try:
            with archive.open(info) as entry:
                content = entry.read(budget + 1)
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError) as exc:
            raise PackageZipError(f"{name}: cannot be read ({exc})") from exc
        total += len(content)
        if len(content) > budget:
            raise PackageZipError(
                f"the files add up to more than {MAX_TOTAL_BYTES // 2**20} MB uncompressed"
            )
        try:
            files[name] = content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PackageZipError(
                f"{name}: not UTF-8 text (byte {exc.start}); only text files can be edited "
                "in the browser"
            ) from exc
    return files


def _strip_top_folder(files: dict[str, str]) -> dict[str, str]:
    """`slug/exercise.toml` -> `exercise.toml` when every file sits in one top-level folder."""
    tops = {path.split("/", 1)[0] for path in files}
    if len(tops) == 1 and all("/" in path for path in files):
        return {path.split("/", 1)[1]: text for path, text in files.items()}
    return files
