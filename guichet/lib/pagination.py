"""Keyset (cursor) pagination: stable and as fast on page 10,000 as on page 1.

The cursor is an opaque, URL-safe string holding the sort value and the id of the last row
seen. A tampered cursor is refused with ValueError (the callers answer 400/422), never a 500.
"""

import base64
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

MAX_PAGE_SIZE = 200


@dataclass
class Page:
    items: list
    next_cursor: str | None
    prev_cursor: str | None = None


def encode_cursor(value: Any, pk: int, backwards: bool = False) -> str:
    if isinstance(value, datetime):
        value = {"dt": value.isoformat()}
    raw = json.dumps([value, pk, int(backwards)], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[Any, int, bool]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk, backwards = json.loads(raw)
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["dt"])
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < 2**63:
            raise ValueError
        if (
            value is not None
            and not isinstance(value, int | str | datetime)
            or isinstance(value, bool)
        ):
            raise ValueError
        return value, pk, bool(backwards)
    except (ValueError, TypeError, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        raise ValueError("invalid cursor") from None


def _key(row, field: str) -> tuple[Any, int]:
    if isinstance(row, dict):
        return row[field], row["id"]
    return getattr(row, field), row.pk


def keyset_page(
    queryset: QuerySet, *, field: str, descending: bool, size: int, cursor: str | None = None
) -> Page:
    """One page of `queryset` ordered by (field, id), both in the same direction.

    `field` must be non-null for every row (id, created_at, updated_at, priority...). The
    rows are model instances, or dicts from `.values()` that include `field` and `id`.
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    backwards = False
    if cursor:
        value, pk, backwards = decode_cursor(cursor)
        after = descending != backwards  # walking towards smaller values?
        if field == "id":
            queryset = queryset.filter(id__lt=pk) if after else queryset.filter(id__gt=pk)
        elif after:
            queryset = queryset.filter(
                Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": pk})
            )
        else:
            queryset = queryset.filter(
                Q(**{f"{field}__gt": value}) | Q(**{field: value, "id__gt": pk})
            )
    walk_desc = descending != backwards
    order = [f"-{field}", "-id"] if walk_desc else [field, "id"]
    if field == "id":
        order = order[1:]
    rows = list(queryset.order_by(*order)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    if not rows:
        return Page(items=[], next_cursor=None, prev_cursor=None)
    first, last = _key(rows[0], field), _key(rows[-1], field)
    next_cursor = encode_cursor(*last) if (has_more or backwards) else None
    prev_cursor = (
        encode_cursor(*first, backwards=True) if (cursor and (not backwards or has_more)) else None
    )
    return Page(items=rows, next_cursor=next_cursor, prev_cursor=prev_cursor)
