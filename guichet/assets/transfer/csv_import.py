"""Importing assets from a CSV file: first a dry run that says, line by line, what would be
created, updated or refused (and writes nothing), then the import of the same file, all lines
or none, through the asset verbs.

A line updates the asset the user may see with its inventory number, else the only one with
its serial number; any other line creates an asset. A column the file has is applied as
written, an empty cell emptying the field, except for the name, type and organisation (always
needed) and the state (kept). Lines are checked as the verbs check them, so the dry run
foretells the import; the import still runs every verb's own checks and stops at the first
refusal, saving nothing.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Organisation
from guichet.assets import actions
from guichet.assets.choices import Source
from guichet.assets.transfer import columns
from guichet.assets.transfer.lines import check_line
from guichet.assets.transfer.lookups import Lookups
from guichet.assets.transfer.reading import FileProblem, Sheet, read_sheet
from guichet.assets.transfer.report import CREATE, REFUSED, UPDATE, Line, LineError, Report
from guichet.lib.errors import ActionError, InvalidInput


class _Refused(Exception):
    """Rolls the import back once a verb refused a line."""


def _headings(sheet: Sheet, report: Report) -> dict[int, str]:
    """The field of each column the import reads, by position."""
    fields: dict[int, str] = {}
    seen: dict[str, str] = {}
    for position, heading in enumerate(sheet.headers):
        name = columns.field_for(heading)
        if name is None:
            if heading:
                report.unknown_columns.append(heading)
            continue
        if name in seen:
            report.problems.append(
                _("The columns “%(first)s” and “%(second)s” give the same field.")
                % {"first": seen[name], "second": heading}
            )
        seen[name] = heading
        fields[position] = name
    missing = [name for name in columns.REQUIRED if name not in seen]
    if missing:
        report.problems.append(
            _("Required columns are missing: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    return fields


def _records(sheet: Sheet, fields: dict[int, str], report: Report) -> list[dict[str, str]]:
    records = []
    width = len(sheet.headers)
    for number, cells in sheet.rows:
        record = {
            name: columns.unescape_cell(cells[position]) if position < len(cells) else ""
            for position, name in fields.items()
        }
        line = Line(number, (record.get("name") or "").strip()[:200])
        if any(cell.strip() for cell in cells[width:]):
            message = _(
                "This line has %(count)d cells, more than the %(width)d columns of the header."
            ) % {"count": len(cells), "width": width}
            line.errors.append(LineError("", message))
        report.lines.append(line)
        records.append(record)
    return records


def plan_import(actor, content: bytes, *, organisation: Organisation | None = None) -> Report:
    """What importing `content` would do, line by line; writes nothing. `organisation` is
    given to created assets whose line names none."""
    report = Report()
    try:
        sheet = read_sheet(content)
    except FileProblem as problem:
        report.problems.append(problem.message)
        return report
    fields = _headings(sheet, report)
    if report.problems:
        return report
    report.headings = {name: sheet.headers[position] for position, name in fields.items()}
    records = _records(sheet, fields, report)
    lookups = Lookups(actor, records)
    claimed: dict[int, int] = {}
    numbers: dict[str, int] = {}
    for line, record in zip(report.lines, records, strict=True):
        if line.errors:
            line.action = REFUSED
            continue
        check_line(line, record, lookups, organisation, claimed, numbers)
        for error in line.errors:
            error.column = report.heading(error.column)
        line.changes = [report.heading(name) for name in line.changes]
        if line.errors:
            line.action = REFUSED
    return report


def apply_import(
    *, actor, content: bytes, organisation: Organisation | None = None, at: datetime | None = None
) -> Report:
    """Import `content`: checked again (the assets may have changed since the dry run), then
    every line through the verbs in one transaction. Nothing is saved unless all are."""
    report = plan_import(actor, content, organisation=organisation)
    if not report.ok:
        return report
    at = at or timezone.now()
    try:
        with transaction.atomic():
            for line in report.lines:
                _apply_line(actor, line, at, report)
    except _Refused:
        return report
    report.applied = True
    return report


def _apply_line(actor, line: Line, at: datetime, report: Report) -> None:
    try:
        if line.action == CREATE:
            line.asset = actions.create_asset(
                actor=actor, source=Source.IMPORT, at=at, **line.values
            )
        elif line.action == UPDATE and line.asset is not None:
            actions.update_asset(
                asset=line.asset, actor=actor, source=Source.IMPORT, at=at, **line.values
            )
    except InvalidInput as refusal:
        line.errors = [
            LineError(report.heading(name), " ".join(messages))
            for name, messages in refusal.errors.items()
        ]
    except ActionError as refusal:
        line.errors = [LineError("", refusal.message)]
    if line.errors:
        line.action = REFUSED
        raise _Refused
