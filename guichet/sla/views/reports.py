"""Service reports on screen, their tables as CSV, and a contract's monthly report as PDF.

Readers: support staff for the organisations their teams serve, administrators for all, a
client's organisation manager for their own organisation (see `reports.filters.report_scope`);
anyone else gets a 403.

CSV: UTF-8 with a byte order mark (so that Excel reads the accents), one header row, numbers
without grouping (rates in %, times in business hours). Separator and decimal mark follow
the reader's language, as Excel expects them there: "," and "." in English, ";" and "," in
French.
"""

import csv
import re
from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from guichet.accounts.access import organisation_names, team_list
from guichet.lib.errors import Forbidden, InvalidInput
from guichet.sla.reports import charts, tables
from guichet.sla.reports.figures import service_report
from guichet.sla.reports.filters import (
    current_month,
    parse_filters,
    parse_month,
    report_scope,
    visible_contracts,
)
from guichet.sla.reports.monthly import key_figures, monthly_pdf
from guichet.tickets.choices import Priority


def reader_required(view):
    """Signed in, and allowed to read some figures (else 403)."""

    @wraps(view)
    @login_required
    @require_GET
    def wrapper(request, *args, **kwargs):
        try:
            scope = report_scope(request.user)
        except Forbidden:
            raise PermissionDenied from None
        return view(request, scope, *args, **kwargs)

    return wrapper


def _choices(request, scope) -> dict:
    return {
        "organisations": organisation_names(request.user),
        "contracts": list(visible_contracts(scope).values_list("id", "name")),
        "teams": [(team.pk, team.name) for team in team_list(request.user)],
        "priorities": Priority.choices,
    }


def _sections(report) -> list[dict]:
    def table(slug: str):
        return tables.shown(tables.BUILDERS[slug](report))

    return [
        {
            "id": "attainment",
            "title": _("SLA attainment"),
            "intro": _(
                "Share of clocks that met their target among those stopped in the month; a "
                "running clock past its due date counts as breached in the month it fell due. "
                "Clocks without a target are not counted."
            ),
            "chart": charts.attainment_trend(report),
            "tables": [
                table(slug)
                for slug in (
                    "attainment-month",
                    "attainment-contract",
                    "attainment-priority",
                    "attainment-team",
                )
            ],
        },
        {
            "id": "solved",
            "title": _("First-contact resolution and reopenings"),
            "intro": _(
                "Among the tickets solved in the month: solved at the first contact when "
                "never handed over, never waiting and never reopened; reopened when reopened "
                "at least once."
            ),
            "tables": [table("solved"), table("solved-priority")],
        },
        {
            "id": "resolution",
            "title": _("Time to resolve"),
            "intro": _(
                "Business time on the resolution clock of the tickets solved in the period."
            ),
            "chart": charts.resolution_bars(report),
            "tables": [table("resolution")],
        },
        {
            "id": "backlog",
            "title": _("Backlog ageing"),
            "intro": _("Tickets open now, by calendar days since they were opened."),
            "chart": charts.backlog_bars(report),
            "tables": [table("backlog-priority"), table("backlog-team")],
        },
        {
            "id": "satisfaction",
            "title": _("Satisfaction"),
            "intro": _("Scores (1 to 5) given to the tickets closed in the month."),
            "tables": [table("satisfaction")],
        },
    ]


@reader_required
def report_page(request, scope) -> HttpResponse:
    context = {"nav": "reports", "values": request.GET, **_choices(request, scope)}
    try:
        filters = parse_filters(request.GET, request.user)
    except InvalidInput as exc:
        context["errors"] = exc.errors
        return render(request, "sla/reports/page.html", context, status=400)
    report = service_report(filters)
    context.update(
        values=filters.as_params(),
        csv_query=urlencode(filters.as_params()),
        sections=_sections(report),
        key_figures=key_figures(report),
        pdf_month=f"{current_month(filters.now):%Y-%m}",
    )
    return render(request, "sla/reports/page.html", context)


def _bad_request(errors: dict[str, list[str]]) -> HttpResponse:
    lines = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


@reader_required
def report_csv(request, scope, table: str) -> HttpResponse:
    builder = tables.BUILDERS.get(table)
    if builder is None:
        raise Http404
    try:
        filters = parse_filters(request.GET, request.user)
    except InvalidInput as exc:
        return _bad_request(exc.errors)
    found = builder(service_report(filters))
    french = (get_language() or "").startswith("fr")
    delimiter, decimal = (";", ",") if french else (",", ".")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"guichet-{table}-{filters.start:%Y-%m}-{filters.end:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([column.label for column in found.columns])
    for row in [*found.rows, *([found.total] if found.total else [])]:
        writer.writerow(
            tables.csv_value(value, column.type, decimal)
            for value, column in zip(row, found.columns, strict=True)
        )
    return response


@reader_required
def report_pdf(request, scope) -> HttpResponse:
    """The monthly report of a contract the reader may see (a client's contract, or the
    default one for the organisations the reader may see)."""
    errors: dict = {}
    month = parse_month(request.GET.get("month"), errors, "month")
    contract_id = request.GET.get("contract", "")
    if not re.fullmatch(r"[0-9]{1,18}", contract_id):
        errors["contract"] = _("Choose a contract.")
    if month is None and "month" not in errors:
        errors["month"] = _("Choose a month.")
    if errors or month is None:
        return _bad_request({k: [v] for k, v in errors.items()})
    contract = visible_contracts(scope).select_related("organisation").filter(pk=int(contract_id))
    found = contract.first()
    if found is None:
        raise Http404
    pdf = monthly_pdf(found, month, scope=scope, now=timezone.now())
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"guichet-{found.pk}-{month:%Y-%m}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("reports/", report_page, name="reports"),
    path("reports/monthly.pdf", report_pdf, name="report-pdf"),
    path("reports/<slug:table>.csv", report_csv, name="report-csv"),
]
