"""An uploaded CSV file as a header and lines of cells, whatever wrote it: UTF-8 with or
without a byte order mark, UTF-16 ("Unicode text" from Excel), or Windows-1252 (older
Excel in French); separated by commas, semicolons (French Excel) or tabs.

Everything that makes the whole file unreadable is a `FileProblem`; what is wrong with one
line is left to the import to say, with the line's number.
"""

import codecs
import csv
import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
MAX_LINES = 5_000
MAX_COLUMNS = 100
DELIMITERS = (";", ",", "\t")
# Text has few control characters; a file full of them is something else renamed .csv.
MAX_CONTROL_SHARE = 0.05


class FileProblem(Exception):
    """The file as a whole cannot be imported."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Sheet:
    headers: list[str]
    # (number of the line the record starts on, its cells)
    rows: list[tuple[int, list[str]]]
    delimiter: str


def _decode(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    elif content.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "cp1252")
    for encoding in encodings:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise FileProblem(_("The file is not text: save it as CSV (UTF-8 or Windows-1252)."))
    control = sum(1 for char in text if char < " " and char not in "\t\r\n")
    if control > MAX_CONTROL_SHARE * len(text):
        raise FileProblem(_("The file is not text: save it as CSV (UTF-8 or Windows-1252)."))
    return text


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def read_sheet(content: bytes) -> Sheet:
    if len(content) > MAX_BYTES:
        raise FileProblem(
            _("The file is larger than %(mb)d MB: split it.") % {"mb": MAX_BYTES // 1024 // 1024}
        )
    text = _decode(content)
    if not text.strip():
        raise FileProblem(_("The file is empty."))
    delimiter = _delimiter(text.lstrip("\r\n").split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    headers: list[str] = []
    try:
        for headers in reader:
            if any(cell.strip() for cell in headers):
                break
        else:
            raise FileProblem(_("The file is empty."))
        if len(headers) > MAX_COLUMNS:
            raise FileProblem(
                _("The header has %(count)d columns; at most %(max)d are read.")
                % {"count": len(headers), "max": MAX_COLUMNS}
            )
        start = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(rows) == MAX_LINES:
                    raise FileProblem(
                        _("The file has more than %(max)d lines: split it.") % {"max": MAX_LINES}
                    )
                rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error:
        raise FileProblem(
            _("Line %(line)d cannot be read: a cell is too long or a quote is not closed.")
            % {"line": reader.line_num}
        ) from None
    return Sheet([cell.strip() for cell in headers], rows, delimiter)
