"""Candidates to invite, read from a CSV file as spreadsheets export them.

One candidate a line: `name,email[,extra_minutes]`. The header line is optional; a UTF-8 byte
order mark (Excel) is dropped; `;` separates too (spreadsheets in locales where the comma is
the decimal mark); blank lines are skipped. Every problem is reported with its line number,
and a file with any problem invites nobody.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from assessments.services.building import MAX_EXTRA_MINUTES

MAX_ROWS = 500
MAX_NAME_CHARS = 200
MAX_ERRORS_SHOWN = 20
HEADER = ["name", "email", "extra_minutes"]

Candidate = tuple[str, str, int]  # name, email, extra minutes


class CsvInviteError(ValueError):
    """The file cannot be used; `errors` lists each problem ("line 3: ...")."""

    def __init__(self, errors: list[str]) -> None:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = len(errors) - len(shown)
        super().__init__("; ".join(shown) + (f"; and {more} more" if more else ""))
        self.errors = errors


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    return ";" if first.count(";") > first.count(",") else ","


def _is_header(cells: list[str]) -> bool:
    first, second = (cell.strip().lower() for cell in [*cells, "", ""][:2])
    return first == "name" or second == "email"


def _row(cells: list[str], line: int, seen: dict[str, int]) -> tuple[Candidate | None, list[str]]:
    """The candidate of one line, or None with what is wrong with it."""
    while len(cells) > 2 and not cells[-1].strip():
        cells = cells[:-1]  # "Ada,ada@example.com," from a spreadsheet with an empty column
    if len(cells) not in (2, 3):
        return None, [f"line {line}: expected name,email[,extra_minutes], got {len(cells)} fields"]
    name, email = cells[0].strip(), cells[1].strip()
    errors = []
    if not name:
        errors.append(f"line {line}: the name is empty")
    elif len(name) > MAX_NAME_CHARS:
        errors.append(f"line {line}: the name is longer than {MAX_NAME_CHARS} characters")
    try:
        validate_email(email)
    except ValidationError:
        errors.append(f"line {line}: {email!r} is not a valid email address")
    else:
        if email.lower() in seen:
            errors.append(f"line {line}: {email} is already on line {seen[email.lower()]}")
        else:
            seen[email.lower()] = line
    extra = cells[2].strip() if len(cells) == 3 else ""
    minutes = 0
    if extra:
        if not extra.isdigit() or int(extra) > MAX_EXTRA_MINUTES:
            errors.append(
                f"line {line}: extra minutes must be a whole number from 0 to "
                f"{MAX_EXTRA_MINUTES}, not {extra!r}"
            )
        else:
            minutes = int(extra)
    return (None if errors else (name, email, minutes)), errors


def parse(text: str) -> list[Candidate]:
    """The candidates of a CSV text, in file order; raises CsvInviteError naming every bad line
    (with its number), duplicated emails, and a file over MAX_ROWS candidates or with none."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    candidates: list[Candidate] = []
    errors: list[str] = []
    seen: dict[str, int] = {}
    first = True
    rows = 0
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if first and _is_header(cells):
                first = False
                header = [cell.strip().lower() for cell in cells if cell.strip()]
                if header not in (HEADER[:2], HEADER):
                    errors.append(f"line {line}: the header must be name,email[,extra_minutes]")
                continue
            first = False
            rows += 1
            candidate, problems = _row(cells, line, seen)
            errors.extend(problems)
            if candidate is not None:
                candidates.append(candidate)
    except csv.Error as exc:
        errors.append(f"line {reader.line_num}: {exc}")
    if not errors and not candidates:
        errors.append("the file lists no candidate")
    if rows > MAX_ROWS:
        errors.insert(0, f"the file lists {rows} candidates; at most {MAX_ROWS} at a time")
    if errors:
        raise CsvInviteError(errors)
    return candidates
