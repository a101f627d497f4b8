"""A contract's monthly service report, in its client's language, as HTML and as PDF.

The figures are those of the screen for one month and the contract (the client's tickets
covered by it), with the attainment of the twelve months up to it as a trend, and the open
tickets on the day the report is made.
"""

from dataclasses import replace
from datetime import date, datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guichet.lib.pdf import html_to_pdf
from guichet.sla.models import Contract
from guichet.sla.reports import charts, tables
from guichet.sla.reports.figures import ATTAINMENT_KINDS, ServiceReport, service_report
from guichet.sla.reports.filters import ReportFilters, add_months


def language_of(contract: Contract) -> str:
    """The client's language; the installation's for the default contract."""
    organisation = contract.organisation
    if organisation is not None and organisation.language:
        return organisation.language
    return settings.LANGUAGE_CODE


def key_figures(report: ServiceReport) -> list[tuple[str, str]]:
    """The headline figures, (label, value as written), for the screen and the PDF."""
    own, resolve = (report.attainment.overall[kind] for kind in ATTAINMENT_KINDS)
    solved = report.solved.overall
    return [
        (_("Time to own met"), tables.percent(own.rate)),
        (_("Time to resolve met"), tables.percent(resolve.rate)),
        (_("First-contact resolution"), tables.percent(solved.first_contact_rate)),
        (_("Reopen rate"), tables.percent(solved.reopen_rate)),
        (_("Open tickets"), tables.display(report.backlog.total.total, tables.COUNT)),
        (_("Mean satisfaction"), tables.display(report.satisfaction.overall.mean, tables.MEAN)),
    ]


def monthly_html(
    contract: Contract,
    month: date,
    *,
    scope: frozenset[int] | None,
    now: datetime | None = None,
) -> str:
    """The report as HTML, for WeasyPrint (and for reading it in a browser or a test)."""
    now = now or timezone.now()
    filters = ReportFilters(start=month, end=month, scope=scope, contract=contract.pk, now=now)
    report = service_report(filters)
    trend = service_report(replace(filters, start=add_months(month, -11)))
    with translation.override(language_of(contract)):
        context = {
            "contract": contract,
            "month": month,
            "now": now,
            "zone": settings.TIME_ZONE,
            "key_figures": key_figures(report),
            "charts": [charts.attainment_trend(trend, "pdf-trend")],
            "tables": [
                tables.shown(tables.attainment_by(report.attainment, "priority")),
                tables.shown(tables.solved_by_priority(report)),
                tables.shown(tables.resolution(report)),
                tables.shown(tables.satisfaction_by_month(report)),
                tables.shown(tables.backlog_by(report, "priority")),
            ],
            "trend": tables.shown(tables.attainment_by_month(trend.attainment)),
        }
        return render_to_string("sla/reports/monthly.html", context)


def monthly_pdf(
    contract: Contract,
    month: date,
    *,
    scope: frozenset[int] | None,
    now: datetime | None = None,
) -> bytes:
    html = monthly_html(contract, month, scope=scope, now=now)
    return html_to_pdf(html)
