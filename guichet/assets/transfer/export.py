"""The assets as CSV (streamed, for any number of rows) or as an XLSX workbook, one column
per field that the import reads back: a file exported, edited and imported again changes only
what was edited.

No cell is ever a formula in a spreadsheet: in CSV a text starting with = + - @, a tab or a
carriage return gets a leading apostrophe (which the import removes); in XLSX every text is
written as a text cell.
"""

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from guichet.assets.models import Asset
from guichet.assets.transfer.columns import FIELDS, escape_cell

CHUNK = 500
RELATED = ("organisation", "location", "user", "manufacturer", "supplier")
# Kept in memory up to this size, then in a temporary file.
XLSX_IN_MEMORY = 8 * 1024 * 1024


def _value(asset: Asset, name: str):
    value = getattr(asset, name)
    if name == "user":
        return value.username if value is not None else ""
    if name in RELATED:
        return value.name if value is not None else ""
    return value


def values(assets: QuerySet) -> Iterator[list]:
    """Each asset's cells as typed values (text, date, Decimal or None), oldest first; one
    query however many rows, read in chunks."""
    rows = assets.select_related(*RELATED).order_by("pk")
    for asset in rows.iterator(chunk_size=CHUNK):
        yield [_value(asset, name) for name in FIELDS]


def csv_cell(value, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return escape_cell(f"{value:.2f}".replace(".", decimal))
    return escape_cell(str(value))


def csv_chunks(assets: QuerySet, *, delimiter: str = ",", decimal: str = ".") -> Iterator[str]:
    """The file as pieces of text for a streamed response: a byte order mark (so that Excel
    reads the accents), the header, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(FIELDS)
    yield "\ufeff" + flush()
    for count, row in enumerate(values(assets), start=1):
        writer.writerow([csv_cell(value, decimal) for value in row])
        if count % 100 == 0:
            yield flush()
    yield flush()


def _xlsx_cell(sheet, value):
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        # Set after the value: openpyxl reads a text starting with "=" as a formula.
        cell.data_type = "s"
        return cell
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def xlsx_file(assets: QuerySet) -> IO[bytes]:
    """The workbook, written row by row (openpyxl's write-only mode), rewound for reading."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Assets"))
    sheet.append([_xlsx_cell(sheet, name) for name in FIELDS])
    for row in values(assets):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    # Not closed here: the response streams it, then closes it.
    output = tempfile.SpooledTemporaryFile(max_size=XLSX_IN_MEMORY)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output
