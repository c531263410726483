"""Cursor pagination over (created_at, id), newest first.

A page is `{"results": [...], "next": url | null, "previous": url | null}`. The cursor in those
URLs is opaque to clients (base64 of a position and a direction): rows created or deleted
between two requests never shift a page, unlike page numbers. `?limit=` is 1 to MAX_LIMIT
(DEFAULT_LIMIT when absent); the other query parameters (filters) are kept in the links."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
CURSOR_PARAMETER = "cursor"
LIMIT_PARAMETER = "limit"
INVALID_CURSOR = "invalid cursor: use the next or previous link of a page"

M = TypeVar("M", bound=Model)

PARAMETERS = [
    OpenApiParameter(
        CURSOR_PARAMETER,
        OpenApiTypes.STR,
        description="Where the page starts: the cursor of a `next` or `previous` link.",
    ),
    OpenApiParameter(
        LIMIT_PARAMETER,
        OpenApiTypes.INT,
        description=f"Rows per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}).",
    ),
]


@dataclass(frozen=True)
class Position:
    """A row's place in the order, and which way to read from it."""

    created_at: datetime
    pk: str
    backwards: bool  # True: the rows before it (a `previous` link)

    def encode(self) -> str:
        data = {"t": self.created_at.isoformat(), "i": self.pk, "b": self.backwards}
        raw = json.dumps(data, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> Position:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            data = json.loads(raw)
            created_at = parse_datetime(data["t"])
            pk, backwards = data["i"], data["b"]
        except (binascii.Error, ValueError, KeyError, TypeError):
            created_at = None
        if (
            created_at is None
            or timezone.is_naive(created_at)
            or not isinstance(pk, str)
            or not isinstance(backwards, bool)
        ):
            raise ValidationError({CURSOR_PARAMETER: [INVALID_CURSOR]})
        return cls(created_at, pk, backwards)

    @classmethod
    def of(cls, row: Model, *, backwards: bool) -> Position:
        return cls(row.created_at, str(row.pk), backwards)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Page(Generic[M]):
    rows: list[M]
    next: str | None
    previous: str | None

    def response_data(self, results: list[Any]) -> dict[str, Any]:
        return {"results": results, "next": self.next, "previous": self.previous}


def _limit(request: Request) -> int:
    value = request.query_params.get(LIMIT_PARAMETER)
    if value is None:
        return DEFAULT_LIMIT
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= MAX_LIMIT:
        raise ValidationError({LIMIT_PARAMETER: [f"a whole number from 1 to {MAX_LIMIT}"]})
    return int(value)


def _after(position: Position) -> Q:
    """Rows after `position` in the newest-first order (older, or as old with a smaller id)."""
    return Q(created_at__lt=position.created_at) | Q(
        created_at=position.created_at, pk__lt=position.pk
    )


def _before(position: Position) -> Q:
    return Q(created_at__gt=position.created_at) | Q(
        created_at=position.created_at, pk__gt=position.pk
    )


def _checked(position: Position, queryset: QuerySet[M]) -> Position:
    """`position` if its id is one of this queryset's kind (a cursor of another list is not)."""
    try:
        pk = queryset.model._meta.pk.to_python(position.pk)  # type: ignore[union-attr]
    except DjangoValidationError:
        pk = None
    if pk is None or (isinstance(pk, int) and not 0 <= pk < 2**63):  # 64-bit ids
        raise ValidationError({CURSOR_PARAMETER: [INVALID_CURSOR]})
    return position


def _link(request: Request, position: Position) -> str:
    return replace_query_param(request.build_absolute_uri(), CURSOR_PARAMETER, position.encode())


def paginate(queryset: QuerySet[M], request: Request) -> Page[M]:
    """The page of `queryset` (any filters applied; it is ordered here) that the request's
    `cursor` and `limit` ask for: two queries (the rows, and whether any lie beyond the end
    the cursor came from)."""
    limit = _limit(request)
    cursor = request.query_params.get(CURSOR_PARAMETER)
    position = _checked(Position.decode(cursor), queryset) if cursor else None
    if position is None or not position.backwards:
        rows = queryset.order_by("-created_at", "-pk")
        if position is not None:
            rows = rows.filter(_after(position))
        page = list(rows[: limit + 1])
        more_after = len(page) > limit
        page = page[:limit]
        more_before = position is not None and queryset.exclude(_after(position)).exists()
    else:
        oldest_first = queryset.filter(_before(position)).order_by("created_at", "pk")
        page = list(oldest_first[: limit + 1])
        more_before = len(page) > limit
        page = page[:limit][::-1]
        more_after = queryset.exclude(_before(position)).exists()
    if not page:
        # Nothing left this way (rows deleted meanwhile): the way back is the first page.
        first = remove_query_param(request.build_absolute_uri(), CURSOR_PARAMETER)
        return Page(page, first if more_after else None, first if more_before else None)
    return Page(
        page,
        _link(request, Position.of(page[-1], backwards=False)) if more_after else None,
        _link(request, Position.of(page[0], backwards=True)) if more_before else None,
    )
