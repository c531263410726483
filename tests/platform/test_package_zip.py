"""Package zips (bank.package_zip): the export/import round trip, and an untrusted upload's
every way of being dangerous or wrong refused with a message naming the problem."""

from __future__ import annotations

import io
import stat
import zipfile
from pathlib import Path

import pytest

from bank.draft_files import content_hash
from bank.package_zip import MAX_ENTRIES, PackageZipError, export_zip, import_zip

ROOT = Path(__file__).resolve().parents[2]
KMEANS = ROOT / "exercises" / "kmeans"


def kmeans_files() -> dict[str, str]:
    return {
        str(p.relative_to(KMEANS)): p.read_text()
        for p in sorted(KMEANS.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def make_zip(entries: dict[str, bytes | str], **attributes: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            for key, value in attributes.items():
                setattr(info, key, value)
            archive.writestr(info, data)
    return buffer.getvalue()


MINIMAL = {"exercise.toml": 'slug = "x"\n', "statement.md": "# X\n"}


def test_an_exported_package_imports_back_identical_and_exports_to_the_same_bytes():
    files = kmeans_files()
    data = export_zip(files, folder="kmeans")
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()[0].startswith("kmeans/")
    imported = import_zip(data)
    assert imported == files and content_hash(imported) == content_hash(files)
    assert export_zip(imported, folder="kmeans") == data  # deterministic: no timestamps


def test_a_zip_without_a_top_folder_and_archiver_litter_import_too():
    data = make_zip(
        {
            **MINIMAL,
            "__MACOSX/._exercise.toml": b"\x00\x05\x16\x07",
            ".DS_Store": b"\x00\x00\x00\x01Bud1",
            "tests/hidden/__pycache__/test_x.cpython-311.pyc": b"\x00\xff",
        }
    )
    assert import_zip(data) == MINIMAL


def test_a_zip_bomb_stops_at_the_uncompressed_cap():
    bomb = make_zip({"exercise.toml": 'slug = "x"\n', "support/zeros.txt": b"0" * (3 * 2**20)})
    assert len(bomb) < 64 * 1024  # small on the wire
    with pytest.raises(PackageZipError, match="more than 2 MB uncompressed"):
        import_zip(bomb)


def test_a_zip_whose_headers_understate_the_sizes_is_refused():
    data = bytearray(make_zip({"support/zeros.txt": b"0" * (3 * 2**20)}))
    # Claim 10 bytes uncompressed in the central directory: reading must not trust it.
    directory = data.rfind(b"PK\x01\x02")
    data[directory + 24 : directory + 28] = (10).to_bytes(4, "little")
    with pytest.raises(PackageZipError, match=r"more than 2 MB uncompressed|cannot be read"):
        import_zip(bytes(data))


def test_too_many_entries_are_refused_before_anything_is_read():
    entries = {f"support/f{i}.txt": b"" for i in range(MAX_ENTRIES + 1)}
    with pytest.raises(PackageZipError, match=f"has {MAX_ENTRIES + 1} entries; at most"):
        import_zip(make_zip(entries))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("../evil.py", "../evil.py: paths must be relative, without '..'"),
        ("pkg/../../evil.py", "pkg/../../evil.py: paths must be relative, without '..'"),
        ("/etc/cron.d/evil", "/etc/cron.d/evil: paths must be relative"),
        ("notes.txt", "notes.txt: top-level files are exercise.toml"),
    ],
)
def test_paths_leaving_the_package_or_its_format_are_refused(name, message):
    with pytest.raises(PackageZipError, match=message.replace(".", r"\.").replace("(", r"\(")):
        import_zip(make_zip({**MINIMAL, name: "x = 1\n"}))


def test_a_symbolic_link_is_refused():
    data = make_zip(
        {"x/exercise.toml": 'slug = "x"\n', "x/solution.py": "/etc/passwd"},
        external_attr=(stat.S_IFLNK | 0o777) << 16,
    )
    with pytest.raises(PackageZipError, match="symbolic links are not allowed in a package"):
        import_zip(data)


def test_binary_files_encrypted_entries_duplicates_and_non_zips_are_refused():
    with pytest.raises(PackageZipError, match=r"support/w\.txt: not UTF-8 text \(byte 0\)"):
        import_zip(make_zip({**MINIMAL, "support/w.txt": b"\xff\xfe\x00"}))
    encrypted = bytearray(make_zip({"exercise.toml": 'slug = "x"\n'}))
    directory = encrypted.rfind(b"PK\x01\x02")
    encrypted[directory + 8] |= 0x1  # the "encrypted" bit of the entry's flags
    with pytest.raises(PackageZipError, match="encrypted entries are not supported"):
        import_zip(bytes(encrypted))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("exercise.toml", "a")
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("exercise.toml", "b")
    with pytest.raises(PackageZipError, match=r"exercise\.toml: appears twice in the zip"):
        import_zip(buffer.getvalue())
    with pytest.raises(PackageZipError, match="not a zip file"):
        import_zip(b"PK but not really")
    with pytest.raises(PackageZipError, match="the zip holds no files"):
        import_zip(make_zip({"empty/": b""}))
