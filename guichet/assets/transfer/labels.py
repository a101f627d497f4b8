"""Sheets of asset labels to print and stick on the machines: A4, 3 × 8 labels of 70 × 37 mm
(the common self-adhesive sheets), each with the asset's reference, name and organisation and
a QR code of its page's address, which a phone opens straight away.

The sheet is HTML made into PDF by WeasyPrint, self-contained: the QR codes are inline PNG
images (`data:` addresses) and nothing else is fetched. A QR code is drawn one pixel per module
and printed with its edges kept sharp (`image-rendering: pixelated`): WeasyPrint lays out a
small image much faster than the same code as an SVG path, which made a sheet of 1,000
labels take several times longer.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from guichet.assets.models import Asset
from guichet.lib.pdf import html_to_pdf

MAX_LABELS = 1_000
COLUMNS, ROWS = 3, 8
PER_PAGE = COLUMNS * ROWS


@dataclass(frozen=True)
class Label:
    reference: str
    name: str
    organisation: str
    url: str

    @property
    def qr(self) -> SafeString:
        return qr_img(self.url)


def asset_path(pk: int) -> str:
    try:
        return reverse("assets:detail", args=[pk])
    except NoReverseMatch:
        return f"/assets/{pk}/"


def qr_png(url: str) -> str:
    """The QR code of `url` as a `data:` address of a PNG, one pixel per module with a quiet
    zone of one. Medium error correction still reads with a label a little scratched."""
    return segno.make(url, error="m", micro=False).png_data_uri(scale=1, border=1)


def qr_img(url: str) -> SafeString:
    # segno writes the base64 of the image, from the bits of the code: nothing to escape.
    return mark_safe(f'<img class="qr" alt="" src="{qr_png(url)}">')  # noqa: S308


def make_labels(assets: Iterable[Asset], absolute: Callable[[str], str]) -> list[Label]:
    """`absolute` turns a path into the address the phones open (the request's host)."""
    return [
        Label(
            reference=asset.reference,
            name=asset.name,
            organisation=asset.organisation.name,
            url=absolute(asset_path(asset.pk)),
        )
        for asset in assets
    ]


def pages(labels: list[Label]) -> list[list[list[Label | None]]]:
    """Pages of rows of `COLUMNS` labels, the last row filled up with blanks."""
    sheets = []
    for start in range(0, len(labels), PER_PAGE):
        chunk: list[Label | None] = list(labels[start : start + PER_PAGE])
        chunk += [None] * (-len(chunk) % COLUMNS)
        sheets.append([chunk[row : row + COLUMNS] for row in range(0, len(chunk), COLUMNS)])
    return sheets


def sheet_html(labels: list[Label]) -> str:
    return render_to_string("assets/labels.html", {"pages": pages(labels)})


def sheet_pdf(labels: list[Label]) -> bytes:
    return html_to_pdf(sheet_html(labels))
