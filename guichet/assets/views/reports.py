"""The fleet report, its tables as CSV, and an organisation's anomalies summary (HTML, PDF).

Readers: the support staff, for the organisations their teams serve (administrators for
all). Anyone else gets a 404, and so does an organisation the reader does not serve.

CSV: UTF-8 with a byte order mark (so that Excel reads the accents), one header row, plain
numbers. Separator and decimal mark follow the reader's language, as Excel expects them
there: "," and "." in English, ";" and "," in French.
"""

import csv
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from guichet.accounts.access import organisation_names, visible_organisations
from guichet.assets.reports import anomalies, tables
from guichet.assets.reports.fleet import Fleet, parse_filters
from guichet.assets.reports.sections import BUILDERS, fleet_sections
from guichet.lib.errors import InvalidInput
from guichet.tickets.views.queue_listing import staff_required


@staff_required()
@require_GET
def fleet_report(request):
    context = {
        "nav": "assets",
        "values": request.GET,
        "organisations": organisation_names(request.user),
    }
    try:
        filters = parse_filters(request.GET, request.user)
    except InvalidInput as exc:
        context["errors"] = exc.errors
        return render(request, "assets/report.html", context, status=400)
    fleet = Fleet(request.user, filters, shared_scan=True)
    context.update(
        values=filters.as_params(),
        filters=filters,
        csv_query=urlencode(filters.as_params()),
        sections=fleet_sections(fleet),
    )
    return render(request, "assets/report.html", context)


def _bad_request(errors: dict[str, list[str]]) -> HttpResponse:
    lines = [f"{field}: {' '.join(messages)}" for field, messages in errors.items()]
    return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")


@staff_required()
@require_GET
def report_csv(request, name: str):
    builder = BUILDERS.get(name)
    if builder is None:
        raise Http404
    try:
        filters = parse_filters(request.GET, request.user)
    except InvalidInput as exc:
        return _bad_request(exc.errors)
    table = builder(Fleet(request.user, filters))
    french = (get_language() or "").startswith("fr")
    delimiter, decimal = (";", ",") if french else (",", ".")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = f"{filters.today:%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="guichet-{name}-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([column.label for column in table.columns])
    for row in [*table.rows, *([table.total] if table.total else [])]:
        writer.writerow(
            tables.csv_value(value, column.type, decimal)
            for value, column in zip(row, table.columns, strict=True)
        )
    return response


def _organisation(request, organisation_id: int):
    found = visible_organisations(request.user).filter(pk=organisation_id).first()
    if found is None:
        raise Http404
    return found


def _days(request) -> int:
    """The days without an inventory after which a machine counts as not seen (?days=);
    InvalidInput when the value is not one."""
    return parse_filters({"days": request.GET.get("days", "")}, request.user).days


@staff_required()
@require_GET
def anomalies_page(request, organisation_id: int):
    organisation = _organisation(request, organisation_id)
    language = anomalies.language_of(organisation, request.GET.get("lang"))
    context = {"nav": "assets", "organisation": organisation, "language": language}
    try:
        days = _days(request)
    except InvalidInput as exc:
        context.update(errors=exc.errors, days=request.GET.get("days", ""))
        return render(request, "assets/anomalies.html", context, status=400)
    note = anomalies.anomalies_note(
        request.user, organisation, language=language, now=timezone.now(), days=days
    )
    context.update(note=note, days=days)
    return render(request, "assets/anomalies.html", context)


@staff_required()
@require_GET
def anomalies_pdf(request, organisation_id: int):
    organisation = _organisation(request, organisation_id)
    language = anomalies.language_of(organisation, request.GET.get("lang"))
    try:
        days = _days(request)
    except InvalidInput as exc:
        return _bad_request(exc.errors)
    now = timezone.now()
    pdf = anomalies.anomalies_pdf(request.user, organisation, language=language, now=now, days=days)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"guichet-anomalies-{organisation.pk}-{timezone.localdate(now):%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


urlpatterns = [
    path("reports/", fleet_report, name="reports"),
    path("reports/anomalies/<int:organisation_id>/", anomalies_page, name="anomalies"),
    path("reports/anomalies/<int:organisation_id>.pdf", anomalies_pdf, name="anomalies-pdf"),
    path("reports/<slug:name>.csv", report_csv, name="report-csv"),
]
