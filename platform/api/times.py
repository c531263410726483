"""Times as the API writes them: ISO-8601 in UTC with a "Z", to the second
("2026-11-24T15:00:00Z"), whatever the database or the server's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from rest_framework import serializers


def iso_utc(moment: datetime | None) -> str | None:
    """`moment` as "YYYY-MM-DDTHH:MM:SSZ" (None stays None)."""
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class UtcDateTimeField(serializers.DateTimeField):
    """A read-only time written by `iso_utc` (inputs still parse any ISO-8601 form)."""

    def to_representation(self, value: Any) -> str | None:
        return iso_utc(value) if isinstance(value, datetime) else value
