"""Sheets of asset labels to print and stick on the machines: A4, 3 × 8 labels of 70 × 37 mm
(the common self-adhesive sheets), each with the asset's reference, name and organisation and
a QR code of its page's address, which a phone opens straight away.

The sheet is HTML made into PDF by WeasyPrint, self-contained: the QR codes are inline SVG
and nothing is fetched.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

from guichet.assets.models import Asset

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
        return qr_svg(self.url)


def asset_path(pk: int) -> str:
    try:
        return reverse("assets:detail", args=[pk])
    except NoReverseMatch:
        return f"/assets/{pk}/"


def qr_svg(url: str) -> SafeString:
    """The QR code of `url` as inline SVG, sized by the sheet's style. Medium error correction
    still reads with a label a little scratched."""
    code = segno.make(url, error="m", micro=False)
    # segno writes the SVG itself, from the bits of the code: no text of the URL is in it.
    return mark_safe(code.svg_inline(omitsize=True, border=1, svgclass="qr"))  # noqa: S308


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
    # Imported here: WeasyPrint loads Pango when imported, which only this download needs.
    from weasyprint import HTML

    return HTML(string=sheet_html(labels), url_fetcher=_no_fetching).write_pdf()


def _no_fetching(url: str, *args, **kwargs):
    raise ValueError(f"The label sheet fetches nothing ({url[:60]}).")
