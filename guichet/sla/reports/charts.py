"""Charts drawn on the server as inline SVG: no script, no library, readable in the PDF.

Each chart is an image with a title and a description (role="img"); the figures themselves
are in the table beside it. Series differ by colour (at least 3:1 against white) and also by
line dashes, marker shapes or hatching, so colour is never the only cue.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from guichet.lib.html import esc
from guichet.sla.reports.figures import AGE_BANDS, ATTAINMENT_KINDS, ServiceReport
from guichet.sla.reports.tables import band_label, duration, kind_label

INK, MUTED, GRID = "#1b1f24", "#4a5360", "#c9ced6"
# Blue 6.4:1, brown 6.2:1, green 6.5:1 against white.
COLOURS = ("#0b57d0", "#8a5300", "#1e6b35")
DASHES = ("", "7 4", "2 3")
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _text_width(text: str, size: int = 12) -> float:
    """A generous estimate of the width of `text` in a sans-serif font of `size` px."""
    return len(text) * size * 0.62


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


def _legend_width(series: Sequence[Series]) -> float:
    return 40 + max((_text_width(one.name) for one in series), default=0)


def _marker(index: int, x: float, y: float, colour: str) -> str:
    if index % 3 == 0:
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if index % 3 == 1:
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    return (
        f'<path d="M{x:.1f} {y - 5:.1f} L{x + 5:.1f} {y + 4:.1f} L{x - 5:.1f} {y + 4:.1f} Z" '
        f'fill="{colour}"/>'
    )


def _frame(ident: str, title: str, description: str, width: int, height: int, body: str):
    return SafeString(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" aria-labelledby="{esc(ident)}-title '
        f'{esc(ident)}-desc" class="chart"><title id="{esc(ident)}-title">{esc(title)}</title>'
        f'<desc id="{esc(ident)}-desc">{esc(description)}</desc>{body}</svg>'
    )


def _legend(series: Sequence[Series], x: float, y: float, *, hatch: str = "") -> str:
    parts = []
    for i, one in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        top = y + i * 18
        if hatch:
            fill = f"url(#{hatch}-{i})" if i else colour
            sample = (
                f'<rect x="{x}" y="{top - 6}" width="14" height="12" fill="{fill}" '
                f'stroke="{colour}"/>'
            )
        else:
            dash = f' stroke-dasharray="{DASHES[i % 3]}"' if DASHES[i % 3] else ""
            sample = (
                f'<line x1="{x - 6}" y1="{top}" x2="{x + 20}" y2="{top}" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/>{_marker(i, x + 7, top, colour)}'
            )
        parts.append(
            f'{sample}<text x="{x + 26}" y="{top + 4}" fill="{INK}" {FONT}>{esc(one.name)}</text>'
        )
    return "".join(parts)


def _hatches(prefix: str, count: int) -> str:
    patterns = []
    for i in range(1, count):
        colour = COLOURS[i % len(COLOURS)]
        patterns.append(
            f'<pattern id="{prefix}-{i}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="{colour}" stroke-width="3"/></pattern>'
        )
    return f"<defs>{''.join(patterns)}</defs>" if patterns else ""


def line_chart(
    ident: str,
    title: str,
    description: str,
    labels: Sequence[tuple[str, str]],
    series: Sequence[Series],
) -> SafeString:
    """Rates (0 to 1) per period as lines on a 0–100 % scale; `labels` are two-line x labels.
    A period without a value breaks the line there."""
    width, height, left, top, bottom = 680, 290, 46, 14, 44
    right = 34 + _legend_width(series)
    width = int(width + right - 170)
    plot_w, plot_h = width - left - right, height - top - bottom
    step = plot_w / max(len(labels) - 1, 1)

    def x_at(i: int) -> float:
        return left + (i * step if len(labels) > 1 else plot_w / 2)

    def y_at(rate: float) -> float:
        return top + plot_h * (1 - rate)

    parts = []
    for tick in (0, 25, 50, 75, 100):
        y = y_at(tick / 100)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}" '
            f"{FONT}>{tick} %</text>"
        )
    every = -(-len(labels) // 13)  # no more than 13 labels along the axis
    for i, (first, second) in enumerate(labels):
        if i % every:
            continue
        x = x_at(i)
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle" fill="{MUTED}" '
            f'{FONT}>{esc(first)}<tspan x="{x:.1f}" dy="14">{esc(second)}</tspan></text>'
        )
    for s, one in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        dash = f' stroke-dasharray="{DASHES[s % 3]}"' if DASHES[s % 3] else ""
        path, pen_down = [], False
        for i, value in enumerate(one.values):
            if value is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x_at(i):.1f} {y_at(value):.1f}")
            pen_down = True
            parts.append(_marker(s, x_at(i), y_at(value), colour))
        if path:
            parts.insert(
                0,
                f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash}/>',
            )
    parts.append(_legend(series, left + plot_w + 24, top + 10))
    return _frame(ident, title, description, width, height, "".join(parts))


def bar_chart(
    ident: str,
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    value_label: Callable[[float], str] = lambda v: f"{v:g}",
) -> SafeString:
    """Grouped vertical bars, one group per label, each bar with its value written above."""
    series_count = max(len(series), 1)
    widest_value = max(
        (_text_width(value_label(v or 0), 11) for one in series for v in one.values), default=0
    )
    widest_label = max((_text_width(label) for label in labels), default=0)
    bar = max(26, widest_value + 4)
    group_w = int(max(widest_label + 12, bar * series_count + 22))
    left, top, bottom = 12, 22, 40
    legend_w = _legend_width(series) + 24 if series_count > 1 else 0
    width = int(left + group_w * max(len(labels), 1) + legend_w + 12)
    height = 240
    plot_h = height - top - bottom
    highest = max((v or 0 for one in series for v in one.values), default=0) or 1
    bar_w = (group_w - 22) / series_count
    hatch = f"{esc(ident)}-hatch"
    parts = [_hatches(hatch, series_count)]
    base = top + plot_h
    parts.append(
        f'<line x1="{left}" y1="{base}" x2="{left + group_w * len(labels)}" y2="{base}" '
        f'stroke="{INK}"/>'
    )
    for g, label in enumerate(labels):
        x0 = left + g * group_w + 11
        for s, one in enumerate(series):
            value = one.values[g] or 0
            colour = COLOURS[s % len(COLOURS)]
            fill = f"url(#{hatch}-{s})" if s else colour
            h = plot_h * value / highest
            x = x0 + s * bar_w
            parts.append(
                f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{bar_w - 2:.1f}" '
                f'height="{h:.1f}" fill="{fill}" stroke="{colour}"/>'
                f'<text x="{x + bar_w / 2 - 1:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
                f'fill="{INK}" font-family="system-ui, sans-serif" font-size="11">'
                f"{esc(value_label(value))}</text>"
            )
        parts.append(
            f'<text x="{x0 + (group_w - 22) / 2:.1f}" y="{base + 18}" text-anchor="middle" '
            f'fill="{MUTED}" {FONT}>{esc(label)}</text>'
        )
    if series_count > 1:
        parts.append(_legend(series, left + group_w * len(labels) + 24, top + 10, hatch=hatch))
    return _frame(ident, title, description, width, height, "".join(parts))


# --- The report's charts -----------------------------------------------------------------------


def attainment_trend(report: ServiceReport, ident: str = "attainment-chart") -> SafeString:
    found = report.attainment
    labels = [
        (date_format(m, "M"), f"{m:%Y}" if m.month == 1 or i == 0 else "")
        for i, m in enumerate(found.months)
    ]
    series = [
        Series(kind_label(kind), [share.rate for share in found.by_month[kind]])
        for kind in ATTAINMENT_KINDS
    ]
    first, last = found.months[0], found.months[-1]
    return line_chart(
        ident,
        _("SLA attainment per month"),
        _(
            "Share of clocks that met their target, per month from %(first)s to %(last)s: "
            "time to own (solid line, circles) and time to resolve (dashed line, squares). "
            "The figures are in the table that follows."
        )
        % {
            "first": date_format(first, "YEAR_MONTH_FORMAT"),
            "last": date_format(last, "YEAR_MONTH_FORMAT"),
        },
        labels,
        series,
    )


def backlog_bars(report: ServiceReport, ident: str = "backlog-chart") -> SafeString:
    found = report.backlog
    return bar_chart(
        ident,
        _("Open tickets by age"),
        _(
            "Open tickets by calendar days since they were opened. The figures are in the "
            "table that follows."
        ),
        [band_label(first, last) for first, last in AGE_BANDS],
        [Series(_("Open tickets"), found.total.counts)],
        value_label=lambda v: f"{int(v)}",
    )


def resolution_bars(report: ServiceReport, ident: str = "resolution-chart") -> SafeString:
    *per_priority, _overall = report.resolution_times
    return bar_chart(
        ident,
        _("Time to resolve per priority"),
        _(
            "Median (solid bars) and 90th percentile (hatched bars) of the business time to "
            "resolve, per priority. The figures are in the table that follows."
        ),
        [f"P{t.priority}" for t in per_priority],
        [
            Series(_("Median"), [t.median_seconds for t in per_priority]),
            Series(_("90th percentile"), [t.p90_seconds for t in per_priority]),
        ],
        value_label=lambda v: duration(int(v)),
    )
