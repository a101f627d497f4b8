"""Service report figures as JSON: `GET /api/v1/reports/service`.

Who reads what: administrators every organisation, support staff the organisations their
teams serve, a client's organisation manager their own (others: 403). Rates are fractions
from 0 to 1 (null when nothing was counted), times are business seconds, months YYYY-MM in
the service's time zone.
"""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema

from guichet.lib.schemas import Id, built_response, responses
from guichet.sla.reports.figures import (
    AGE_BANDS,
    ATTAINMENT_KINDS,
    AgeCounts,
    Ratings,
    ServiceReport,
    Share,
    Slice,
    SolvedCount,
    service_report,
)
from guichet.sla.reports.filters import month_label, parse_filters

router = Router(tags=["service reports"])

MONTH = r"^[0-9]{4}-[0-9]{2}$"


class ReportQuery(Schema):
    """The report's filters, as on the reports screen."""

    start: str | None = Field(
        None,
        alias="from",
        pattern=MONTH,
        description="First month, YYYY-MM. Default: 11 months before `to`.",
    )
    end: str | None = Field(
        None, alias="to", pattern=MONTH, description="Last month, YYYY-MM. Default: this month."
    )
    organisation: Id | None = None
    contract: Id | None = Field(None, description="A contract: the clocks it measured.")
    team: Id | None = Field(None, description="The ticket's team.")
    priority: int | None = Field(None, ge=1, le=6, description="1 (lowest) to 6 (major).")
    detail: bool = Field(
        False, description="Also list attainment per contract, priority, team and month."
    )

    def as_params(self) -> dict[str, str]:
        params = {"from": self.start, "to": self.end}
        for name in ("organisation", "contract", "team", "priority"):
            params[name] = getattr(self, name)
        return {k: str(v) for k, v in params.items() if v is not None}


class ShareOut(Schema):
    met: int = Field(description="Clocks that met their target.")
    total: int = Field(description="Clocks counted.")
    rate: float | None = Field(description="met / total, from 0 to 1.")


class KindsOut(Schema):
    own: ShareOut = Field(description="Time to own.")
    resolve: ShareOut = Field(description="Time to resolve.")


class MonthKindsOut(KindsOut):
    month: str


class SliceOut(KindsOut):
    id: int | None = Field(description="The contract's, team's id or the priority.")
    label: str


class CellOut(Schema):
    kind: str
    month: str
    contract: int
    priority: int
    team: int | None
    met: int
    total: int
    rate: float | None


class AttainmentOut(Schema):
    """Clocks with a target stopped in the month (met unless breached), and running clocks
    past their due date, counted as breached in the month they fell due."""

    overall: KindsOut
    by_month: list[MonthKindsOut]
    by_contract: list[SliceOut]
    by_priority: list[SliceOut]
    by_team: list[SliceOut]
    detail: list[CellOut] | None = Field(None, description="With `detail=true`.")


class SolvedOut(Schema):
    solved: int = Field(description="Tickets whose resolution clock stopped in the period.")
    first_contact: int = Field(
        description="Of them, never handed over, never waiting, never reopened."
    )
    first_contact_rate: float | None
    reopened: int = Field(description="Of them, reopened at least once.")
    reopen_rate: float | None


class MonthSolvedOut(SolvedOut):
    month: str


class PrioritySolvedOut(SolvedOut):
    priority: int


class SolvedTicketsOut(Schema):
    overall: SolvedOut
    by_month: list[MonthSolvedOut]
    by_priority: list[PrioritySolvedOut]


class ResolutionTimeOut(Schema):
    priority: int | None = Field(description="None: every priority.")
    count: int
    median_seconds: int | None = Field(description="Business seconds (interpolated median).")
    p90_seconds: int | None = Field(description="Business seconds (90th percentile).")


class BandOut(Schema):
    first_day: int
    last_day: int | None = Field(description="None: and older.")


class AgeCountsOut(Schema):
    id: int | None = Field(description="The priority or the team's id (None: no team).")
    label: str
    counts: list[int] = Field(description="Open tickets per age band, in the order of `bands`.")
    total: int


class BacklogOut(Schema):
    """Tickets open at `as_of`, by calendar days since they were opened (no period)."""

    as_of: datetime
    bands: list[BandOut]
    total: list[int]
    by_priority: list[AgeCountsOut]
    by_team: list[AgeCountsOut]


class RatingsOut(Schema):
    count: int
    mean: float | None
    scores: list[int] = Field(description="How many ratings of 1, 2, 3, 4 and 5.")


class MonthRatingsOut(RatingsOut):
    month: str


class SatisfactionOut(Schema):
    """Scores of the tickets closed in the period."""

    overall: RatingsOut
    by_month: list[MonthRatingsOut]


class PeriodOut(Schema):
    start: str = Field(alias="from")
    end: str = Field(alias="to")
    organisation: int | None
    contract: int | None
    team: int | None
    priority: int | None


class ServiceReportOut(Schema):
    filters: PeriodOut
    attainment: AttainmentOut
    solved: SolvedTicketsOut
    resolution_times: list[ResolutionTimeOut]
    backlog: BacklogOut
    satisfaction: SatisfactionOut


def _share(share: Share) -> dict:
    return {"met": share.met, "total": share.total, "rate": share.rate}


def _kinds(shares: dict[str, Share]) -> dict:
    return {str(kind): _share(shares.get(kind, Share())) for kind in ATTAINMENT_KINDS}


def _slices(slices: list[Slice]) -> list[dict]:
    keyed: dict = {}
    for piece in slices:
        row = keyed.setdefault(piece.key, {"id": piece.key, "label": piece.label, "shares": {}})
        row["shares"][piece.kind] = piece.share
    return [
        {"id": row["id"], "label": row["label"], **_kinds(row["shares"])} for row in keyed.values()
    ]


def _solved(count: SolvedCount) -> dict:
    return {
        "solved": count.solved,
        "first_contact": count.first_contact,
        "first_contact_rate": count.first_contact_rate,
        "reopened": count.reopened,
        "reopen_rate": count.reopen_rate,
    }


def _ages(counts: AgeCounts) -> dict:
    return {
        "id": counts.key,
        "label": counts.label,
        "counts": list(counts.counts),
        "total": counts.total,
    }


def _ratings(ratings: Ratings) -> dict:
    return {"count": ratings.count, "mean": ratings.mean, "scores": list(ratings.counts)}


def _month(value: date) -> str:
    return month_label(value)


def report_out(report: ServiceReport, *, detail: bool = False) -> dict:
    """The report as ServiceReportOut has it."""
    filters = report.filters
    found = report.attainment
    by_month = [
        {"month": _month(m), **_kinds({k: found.by_month[k][i] for k in ATTAINMENT_KINDS})}
        for i, m in enumerate(found.months)
    ]
    cells = [
        {
            "kind": row.kind,
            "month": _month(row.month),
            "contract": row.contract_id,
            "priority": row.priority,
            "team": row.team_id,
            **_share(row.share),
        }
        for row in found.rows
    ]
    solved = report.solved
    backlog = report.backlog
    satisfaction = report.satisfaction
    return {
        "filters": {
            "from": _month(filters.start),
            "to": _month(filters.end),
            "organisation": filters.organisation,
            "contract": filters.contract,
            "team": filters.team,
            "priority": filters.priority,
        },
        "attainment": {
            "overall": _kinds(found.overall),
            "by_month": by_month,
            "by_contract": _slices(found.by_contract),
            "by_priority": _slices(found.by_priority),
            "by_team": _slices(found.by_team),
            "detail": cells if detail else None,
        },
        "solved": {
            "overall": _solved(solved.overall),
            "by_month": [
                {"month": _month(m), **_solved(c)}
                for m, c in zip(solved.months, solved.by_month, strict=True)
            ],
            "by_priority": [{"priority": p, **_solved(c)} for p, c in solved.by_priority.items()],
        },
        "resolution_times": [
            {
                "priority": t.priority,
                "count": t.count,
                "median_seconds": t.median_seconds,
                "p90_seconds": t.p90_seconds,
            }
            for t in report.resolution_times
        ],
        "backlog": {
            "as_of": backlog.as_of,
            "bands": [{"first_day": first, "last_day": last} for first, last in AGE_BANDS],
            "total": list(backlog.total.counts),
            "by_priority": [_ages(a) for a in backlog.by_priority],
            "by_team": [_ages(a) for a in backlog.by_team],
        },
        "satisfaction": {
            "overall": _ratings(satisfaction.overall),
            "by_month": [
                {"month": _month(m), **_ratings(r)}
                for m, r in zip(satisfaction.months, satisfaction.by_month, strict=True)
            ],
        },
    }


@router.get("/service", response=responses(ServiceReportOut), by_alias=True)
def service(request, query: Query[ReportQuery]):
    """Every figure of the service report for a period of whole months (default: the last
    12, this one included) and the filters, as on the reports screen.

    - attainment: share of "time to own" and "time to resolve" clocks that met their target,
      among those with a target stopped in the month, plus running clocks past due (breached
      in the month they fell due); per month, contract, priority and team (the ticket's).
    - solved: tickets whose resolution clock stopped in the period; first-contact resolution
      (no handover, no wait, never reopened) and reopen rates.
    - resolution_times: median and 90th percentile of the resolution clock's business time.
    - backlog: open tickets now by age (calendar days), per priority and team.
    - satisfaction: count and mean of the scores of tickets closed in the period.
    """
    filters = parse_filters(query.as_params(), request.auth)
    return built_response(request, report_out(service_report(filters), detail=query.detail))
