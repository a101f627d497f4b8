"""Service reports: SLA attainment, first-contact resolution, time to resolve, reopenings,
backlog ageing and satisfaction, for the screens, the CSV and PDF downloads and the API.

- `filters.py`: the period and filters (`parse_filters`), whose figures a reader may see
  (`report_scope`).
- `figures.py`: the figures, added up in SQL (`service_report` and one function per figure).
- `tables.py`: each figure as a table of labelled cells, shared by the screen, CSV and PDF.
- `charts.py`: inline SVG charts.
- `monthly.py`: a contract's monthly report, as HTML and PDF, in its client's language.
"""

from guichet.sla.reports.figures import (
    attainment,
    backlog,
    resolution_times,
    satisfaction,
    service_report,
    solved,
)
from guichet.sla.reports.filters import ReportFilters, parse_filters, report_scope

__all__ = [
    "ReportFilters",
    "attainment",
    "backlog",
    "parse_filters",
    "report_scope",
    "resolution_times",
    "satisfaction",
    "service_report",
    "solved",
]
