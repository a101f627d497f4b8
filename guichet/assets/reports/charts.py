"""Horizontal bar charts drawn on the server as inline SVG: no script, readable in the PDF.

Horizontal, because the labels are long (operating systems, products, organisations). Each
chart is an image with a title and a description (role="img"); its figures are in the table
beside it. A second series is hatched as well as coloured, so colour is never the only cue.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.safestring import SafeString

from guichet.lib.html import esc

INK, MUTED, GRID = "#1b1f24", "#4a5360", "#c9ced6"
# Blue 6.4:1 and brown 6.2:1 against white.
COLOURS = ("#0b57d0", "#8a5300")
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
# Beyond this many bars a chart stops being readable; the table has every row.
MAX_BARS = 15


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int]


def _width(text: str, size: int = 12) -> float:
    """A generous estimate of the width of `text` in a sans-serif font of `size` px."""
    return len(text) * size * 0.6


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(
    ident: str, title: str, description: str, labels: Sequence[str], series: Sequence[Series]
) -> SafeString:
    """One row of bars per label (at most MAX_BARS), each bar with its value at its end."""
    labels = [_clip(str(label)) for label in labels[:MAX_BARS]]
    count = max(len(series), 1)
    bar_h, gap, top = 14, 10, 8
    label_w = int(max((_width(label) for label in labels), default=0)) + 16
    plot_w = 360
    legend_h = 22 if count > 1 else 0
    row_h = bar_h * count + gap
    height = top + row_h * max(len(labels), 1) + legend_h + 6
    width = label_w + plot_w + 70
    highest = max((v for one in series for v in one.values[: len(labels)]), default=0) or 1
    hatch = f"{esc(ident)}-hatch"
    parts = [
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{COLOURS[1]}" stroke-width="3"/>'
        f"</pattern></defs>",
        f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" '
        f'y2="{top + row_h * len(labels)}" stroke="{INK}"/>',
    ]
    for i, label in enumerate(labels):
        y0 = top + i * row_h
        parts.append(
            f'<text x="{label_w - 8}" y="{y0 + bar_h * count / 2 + 4:.1f}" text-anchor="end" '
            f'fill="{INK}" {FONT}>{esc(label)}</text>'
        )
        for s, one in enumerate(series):
            value = one.values[i] if i < len(one.values) else 0
            colour = COLOURS[s % 2]
            fill = f"url(#{hatch})" if s else colour
            w = plot_w * value / highest
            y = y0 + s * bar_h
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" '
                f'fill="{fill}" stroke="{colour}"/><text x="{label_w + w + 4:.1f}" '
                f'y="{y + bar_h - 3}" fill="{MUTED}" {FONT}>'
                f"{esc(number_format(value, force_grouping=True))}</text>"
            )
    if count > 1:
        y = top + row_h * len(labels) + 12
        x = label_w
        for s, one in enumerate(series):
            colour = COLOURS[s % 2]
            fill = f"url(#{hatch})" if s else colour
            parts.append(
                f'<rect x="{x}" y="{y - 9}" width="14" height="12" fill="{fill}" '
                f'stroke="{colour}"/><text x="{x + 20}" y="{y + 2}" fill="{INK}" {FONT}>'
                f"{esc(one.name)}</text>"
            )
            x += int(_width(one.name)) + 44
    return SafeString(
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width:{width}px" aria-labelledby="{esc(ident)}-title '
        f'{esc(ident)}-desc" class="chart"><title id="{esc(ident)}-title">{esc(title)}</title>'
        f'<desc id="{esc(ident)}-desc">{esc(description)}</desc>{"".join(parts)}</svg>'
    )
