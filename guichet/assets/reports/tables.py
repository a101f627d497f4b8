"""Each figure as a table: a caption, typed columns and rows of raw values.

The screen, the PDF and the CSV downloads share the tables; only the writing of a value
differs (`display` for people, `csv_value` for spreadsheets). Build them inside the reader's
language: captions and labels are translated when built.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

# Kinds of values, which say how a cell is written.
TEXT, COUNT, DAY, MOMENT, PERCENT, SIGNED = "text", "count", "day", "moment", "percent", "signed"


@dataclass(frozen=True)
class Column:
    label: str
    type: str = COUNT


@dataclass(frozen=True)
class Table:
    """`rows` hold raw values (the first column heads its row); `more` counts the rows left
    out of a capped list (the CSV download has them all)."""

    slug: str
    caption: str
    columns: tuple[Column, ...]
    rows: list[tuple]
    total: tuple | None = None
    more: int = 0


@dataclass(frozen=True)
class Shown:
    """A table written out for people: (label, is a number) per column, and rows of
    (text, is a number) cells."""

    slug: str
    caption: str
    columns: list[tuple[str, bool]]
    rows: list[list[tuple[str, bool]]]
    total: list[tuple[str, bool]] | None = None
    more: int = 0


def display(value, kind: str) -> str:
    """A value as people read it, in the active language."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    if kind == DAY:
        return date_format(value, "SHORT_DATE_FORMAT")
    if kind == MOMENT:
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if kind == PERCENT:
        return _("%(value)s%%") % {"value": number_format(value, 1)}
    if kind == SIGNED:
        written = number_format(abs(value), force_grouping=True)
        return f"+{written}" if value > 0 else (f"−{written}" if value < 0 else written)
    if kind == COUNT:
        return number_format(value, force_grouping=True)
    return str(value)


def csv_value(value, kind: str, decimal: str) -> str:
    """A value as a spreadsheet reads it: plain numbers with `decimal` as separator, ISO
    dates, nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, str):
        # A name starting like a formula would run as one in a spreadsheet.
        return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if kind == PERCENT:
        return f"{value:.1f}".replace(".", decimal)
    return str(value)


def shown(table: Table) -> Shown:
    def write(row: tuple) -> list[tuple[str, bool]]:
        return [
            (display(v, c.type), c.type != TEXT) for v, c in zip(row, table.columns, strict=True)
        ]

    return Shown(
        slug=table.slug,
        caption=table.caption,
        columns=[(c.label, c.type != TEXT) for c in table.columns],
        rows=[write(row) for row in table.rows],
        total=write(table.total) if table.total else None,
        more=table.more,
    )
