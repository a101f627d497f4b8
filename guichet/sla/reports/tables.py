"""Each figure as a table: a caption, typed columns and rows of raw values.

The screen, the PDF and the CSV downloads show the same tables; only the writing of a value
differs (`display` for people, `csv_value` for spreadsheets). Build them inside the reader's
language (`translation.override`): captions and labels are translated when built.
"""

from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from guichet.sla.choices import ClockKind
from guichet.sla.reports.figures import (
    AGE_BANDS,
    ATTAINMENT_KINDS,
    SCORES,
    AgeCounts,
    Attainment,
    Ratings,
    ServiceReport,
    Share,
    Slice,
    SolvedCount,
)
from guichet.tickets.choices import Priority

# Kinds of values, which say how a cell is written.
TEXT, COUNT, RATE, SECONDS, MONTH, MEAN = "text", "count", "rate", "seconds", "month", "mean"


@dataclass(frozen=True)
class Column:
    label: str
    type: str = COUNT


@dataclass(frozen=True)
class Table:
    """`rows` hold raw values (the first column heads its row); `total`, a last row."""

    slug: str
    caption: str
    columns: tuple[Column, ...]
    rows: list[tuple]
    total: tuple | None = None


def percent(rate: float | None) -> str:
    if rate is None:
        return "–"
    return _("%(value)s%%") % {"value": number_format(rate * 100, 1)}


def duration(seconds: int | None) -> str:
    """Business seconds as hours and minutes: 4500 -> "1 h 15 min"."""
    if seconds is None:
        return "–"
    hours, rest = divmod(round(seconds / 60), 60)
    if hours and rest:
        return _("%(h)d h %(m)02d min") % {"h": hours, "m": rest}
    if hours:
        return _("%(h)d h") % {"h": hours}
    return _("%(m)d min") % {"m": rest}


def display(value, kind: str) -> str:
    """A value as people read it, in the active language."""
    if isinstance(value, str):
        return value
    if kind == RATE:
        return percent(value)
    if kind == SECONDS:
        return duration(value)
    if kind == MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    if kind == MEAN:
        return "–" if value is None else number_format(value, 2)
    if kind == COUNT:
        return number_format(value, force_grouping=True)
    return str(value)


def csv_value(value, kind: str, decimal: str) -> str:
    """A value as a spreadsheet reads it: plain numbers (rates in %, times in hours, both
    with `decimal` as separator), months as YYYY-MM, nothing for no value."""
    if value is None:
        return ""
    if isinstance(value, str):
        # A name starting like a formula would run as one in a spreadsheet.
        return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
    if kind == RATE:
        return f"{value * 100:.1f}".replace(".", decimal)
    if kind == SECONDS:
        return f"{value / 3600:.2f}".replace(".", decimal)
    if kind == MEAN:
        return f"{value:.2f}".replace(".", decimal)
    if kind == MONTH:
        return f"{value:%Y-%m}"
    return str(value)


def priority_label(priority: int | None) -> str:
    if priority is None:
        return _("All priorities")
    try:
        return f"P{priority} · {Priority(priority).label}"
    except ValueError:
        return f"P{priority}"


def kind_label(kind: str) -> str:
    return str(ClockKind(kind).label)


def band_label(first: int, last: int | None) -> str:
    if last is None:
        return _("Over %(days)d days") % {"days": first - 1}
    return _("%(first)d–%(last)d days") % {"first": first, "last": last}


def _share_columns() -> tuple[Column, ...]:
    columns: list[Column] = []
    for kind in ATTAINMENT_KINDS:
        name = kind_label(kind)
        columns += [
            Column(_("%(kind)s: met") % {"kind": name}),
            Column(_("%(kind)s: counted") % {"kind": name}),
            Column(_("%(kind)s: attainment") % {"kind": name}, RATE),
        ]
    return tuple(columns)


def _shares(*shares: Share) -> tuple:
    return tuple(v for share in shares for v in (share.met, share.total, share.rate))


def attainment_by_month(found: Attainment) -> Table:
    own, resolve = (found.by_month[kind] for kind in ATTAINMENT_KINDS)
    return Table(
        slug="attainment-month",
        caption=_("SLA attainment per month"),
        columns=(Column(_("Month"), MONTH), *_share_columns()),
        rows=[(m, *_shares(o, r)) for m, o, r in zip(found.months, own, resolve, strict=True)],
        total=(_("Period"), *_shares(*(found.overall[k] for k in ATTAINMENT_KINDS))),
    )


def _pivot(slices: list[Slice]) -> list[tuple]:
    """Slices of both kinds side by side, one row per key, in the order first seen."""
    keyed: dict = {}
    for piece in slices:
        row = keyed.setdefault(piece.key, [piece.label, {}])
        row[1][piece.kind] = piece.share
    return [
        (label, *_shares(*(shares.get(kind, Share()) for kind in ATTAINMENT_KINDS)))
        for label, shares in sorted(keyed.values(), key=lambda row: row[0])
    ]


def attainment_by(found: Attainment, dimension: str) -> Table:
    captions = {
        "contract": (_("SLA attainment per contract"), _("Contract")),
        "priority": (_("SLA attainment per priority"), _("Priority")),
        "team": (_("SLA attainment per team"), _("Team")),
    }
    caption, heading = captions[dimension]
    slices = getattr(found, f"by_{dimension}")
    if dimension == "priority":
        slices = [Slice(s.kind, s.key, priority_label(s.key), s.share) for s in slices]
    if dimension == "team":
        slices = [Slice(s.kind, s.key, s.label or _("No team"), s.share) for s in slices]
    rows = _pivot(slices)
    if dimension == "priority":
        rows.sort(key=lambda row: row[0], reverse=True)
    return Table(
        slug=f"attainment-{dimension}",
        caption=caption,
        columns=(Column(heading, TEXT), *_share_columns()),
        rows=rows,
    )


def attainment_detail(found: Attainment) -> Table:
    return Table(
        slug="attainment",
        caption=_("SLA attainment per contract, priority, team and month"),
        columns=(
            Column(_("Target"), TEXT),
            Column(_("Month"), MONTH),
            Column(_("Contract"), TEXT),
            Column(_("Priority"), TEXT),
            Column(_("Team"), TEXT),
            Column(_("Met")),
            Column(_("Counted")),
            Column(_("Attainment"), RATE),
        ),
        rows=[
            (
                kind_label(r.kind),
                r.month,
                r.contract,
                priority_label(r.priority),
                r.team or _("No team"),
                r.share.met,
                r.share.total,
                r.share.rate,
            )
            for r in found.rows
        ],
    )


def _solved_values(count: SolvedCount) -> tuple:
    return (
        count.solved,
        count.first_contact,
        count.first_contact_rate,
        count.reopened,
        count.reopen_rate,
    )


def _solved_columns() -> tuple[Column, ...]:
    return (
        Column(_("Solved")),
        Column(_("Solved at first contact")),
        Column(_("First-contact resolution"), RATE),
        Column(_("Reopened")),
        Column(_("Reopen rate"), RATE),
    )


def solved_by_month(report: ServiceReport) -> Table:
    found = report.solved
    return Table(
        slug="solved",
        caption=_("First-contact resolution and reopenings per month"),
        columns=(Column(_("Month"), MONTH), *_solved_columns()),
        rows=[(m, *_solved_values(c)) for m, c in zip(found.months, found.by_month, strict=True)],
        total=(_("Period"), *_solved_values(found.overall)),
    )


def solved_by_priority(report: ServiceReport) -> Table:
    found = report.solved
    return Table(
        slug="solved-priority",
        caption=_("First-contact resolution and reopenings per priority"),
        columns=(Column(_("Priority"), TEXT), *_solved_columns()),
        rows=[(priority_label(p), *_solved_values(c)) for p, c in found.by_priority.items()],
        total=(_("All priorities"), *_solved_values(found.overall)),
    )


def resolution(report: ServiceReport) -> Table:
    *per_priority, overall = report.resolution_times
    values = [
        (priority_label(t.priority), t.count, t.median_seconds, t.p90_seconds) for t in per_priority
    ]
    return Table(
        slug="resolution",
        caption=_("Time to resolve (business hours) per priority"),
        columns=(
            Column(_("Priority"), TEXT),
            Column(_("Solved")),
            Column(_("Median"), SECONDS),
            Column(_("90th percentile"), SECONDS),
        ),
        rows=values,
        total=(_("All priorities"), overall.count, overall.median_seconds, overall.p90_seconds),
    )


def _age_columns(heading: str) -> tuple[Column, ...]:
    bands = tuple(Column(band_label(first, last)) for first, last in AGE_BANDS)
    return (Column(heading, TEXT), *bands, Column(_("Total")))


def _age_row(label: str, counts: AgeCounts) -> tuple:
    return (label, *counts.counts, counts.total)


def backlog_by(report: ServiceReport, dimension: str) -> Table:
    found = report.backlog
    if dimension == "priority":
        rows = [_age_row(priority_label(a.key), a) for a in found.by_priority]
        caption, heading = _("Open tickets by age and priority"), _("Priority")
    else:
        rows = [_age_row(a.label or _("No team"), a) for a in found.by_team]
        caption, heading = _("Open tickets by age and team"), _("Team")
    return Table(
        slug=f"backlog-{dimension}",
        caption=caption,
        columns=_age_columns(heading),
        rows=rows,
        total=_age_row(_("All open tickets"), found.total),
    )


def _ratings(ratings: Ratings) -> tuple:
    return (ratings.count, ratings.mean, *ratings.counts)


def satisfaction_by_month(report: ServiceReport) -> Table:
    found = report.satisfaction
    return Table(
        slug="satisfaction",
        caption=_("Satisfaction of tickets closed per month"),
        columns=(
            Column(_("Month"), MONTH),
            Column(_("Ratings")),
            Column(_("Mean score (1–5)"), MEAN),
            *(Column(_("Rated %(score)d") % {"score": score}) for score in SCORES),
        ),
        rows=[(m, *_ratings(r)) for m, r in zip(found.months, found.by_month, strict=True)],
        total=(_("Period"), *_ratings(found.overall)),
    )


# Every table, by the slug its CSV download is named after.
BUILDERS = {
    "attainment-month": lambda report: attainment_by_month(report.attainment),
    "attainment-contract": lambda report: attainment_by(report.attainment, "contract"),
    "attainment-priority": lambda report: attainment_by(report.attainment, "priority"),
    "attainment-team": lambda report: attainment_by(report.attainment, "team"),
    "attainment": lambda report: attainment_detail(report.attainment),
    "solved": solved_by_month,
    "solved-priority": solved_by_priority,
    "resolution": resolution,
    "backlog-priority": lambda report: backlog_by(report, "priority"),
    "backlog-team": lambda report: backlog_by(report, "team"),
    "satisfaction": satisfaction_by_month,
}


@dataclass(frozen=True)
class Shown:
    """A table written out for people: (label, is a number) per column, rows of text."""

    slug: str
    caption: str
    columns: list[tuple[str, bool]]
    rows: list[list[str]]
    total: list[str] | None


def shown(table: Table) -> Shown:
    def write(row: tuple) -> list[str]:
        return [display(v, c.type) for v, c in zip(row, table.columns, strict=True)]

    return Shown(
        slug=table.slug,
        caption=table.caption,
        columns=[(c.label, c.type not in (TEXT, MONTH)) for c in table.columns],
        rows=[write(row) for row in table.rows],
        total=write(table.total) if table.total else None,
    )
