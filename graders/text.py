"""Text that came from the candidate's side, made safe to store and show.

Candidate code chooses its exception messages, its tracebacks and the strings it returns; they
end up in reports that are stored as JSON (PostgreSQL's jsonb refuses NUL and lone surrogates)
and printed on terminals (which refuse lone surrogates too).
"""

from __future__ import annotations

from typing import Any

# How much of a candidate's exception message and traceback travels and is kept.
MESSAGE_CHARS = 4000
TRACEBACK_CHARS = 8000


def clean_text(value: Any, limit: int = 8000) -> str:
    """`value` as a string of at most `limit` characters, with lone surrogates and NUL escaped."""
    text = value if isinstance(value, str) else str(value)
    text = text[:limit].encode("utf-8", "backslashreplace").decode("utf-8")
    return text.replace("\x00", "\\x00")


def decode_solution(data: bytes) -> str:
    """The candidate's solution.py as text: UTF-8, a leading byte order mark dropped (editors on
    Windows write one). Raises UnicodeDecodeError. Every reader of the file uses this."""
    return data.decode("utf-8-sig")
