"""The figures of the service reports, added up in SQL.

Every function reads through `ReportFilters` (whose `scope` is the reader's tenancy) and
returns plain dataclasses. Months are cut at local midnight in the service's time zone with a
CASE over the month boundaries rather than a per-row date function: SQLite would call
Python once per row for TruncMonth in a time zone, a comparison stays in the engine and lets
the (kind, stopped_at) and (running, due_at) indexes bound the read.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from guichet.accounts.models import Team
from guichet.sla.choices import ClockKind
from guichet.sla.models import Contract, TicketClock
from guichet.sla.reports.filters import ReportFilters, days_ago
from guichet.tickets.choices import OPEN_STATUSES
from guichet.tickets.models import Ticket

ATTAINMENT_KINDS: tuple[str, ...] = (ClockKind.OWN, ClockKind.RESOLVE)
# Age bands of the backlog, in calendar days since the ticket was opened: (first, last day).
AGE_BANDS: tuple[tuple[int, int | None], ...] = ((0, 2), (3, 7), (8, 30), (31, None))
SCORES = (1, 2, 3, 4, 5)


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def month_of(column: str, bounds: list[datetime]) -> Case:
    """The index of the month `column` falls in (rows already limited to the period)."""
    whens = [When(**{f"{column}__lt": bound}, then=Value(i)) for i, bound in enumerate(bounds[1:])]
    return Case(*whens, output_field=IntegerField())


def _clocks(filters: ReportFilters, kinds) -> QuerySet:
    """The clocks of `kinds` the filters keep: on the clock's contract and priority (those
    its target came from), client and team (the ticket's, which the clock keeps: no ticket
    is read)."""
    clocks = TicketClock.objects.filter(kind__in=list(kinds)).filter(filters.organisations())
    if filters.contract is not None:
        clocks = clocks.filter(contract_id=filters.contract)
    if filters.team is not None:
        clocks = clocks.filter(team_id=filters.team)
    if filters.priority is not None:
        clocks = clocks.filter(priority=filters.priority)
    return clocks.order_by()


def _tickets(filters: ReportFilters) -> QuerySet:
    """The tickets the filters keep; a ticket's contract is that of its resolution clock."""
    tickets = Ticket.objects.filter(filters.organisations())
    if filters.contract is not None:
        tickets = tickets.filter(
            clocks__kind=ClockKind.RESOLVE, clocks__contract_id=filters.contract
        )
    if filters.team is not None:
        tickets = tickets.filter(team_id=filters.team)
    if filters.priority is not None:
        tickets = tickets.filter(priority=filters.priority)
    return tickets.order_by()


# --- Attainment --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Share:
    """`met` clocks out of `total`."""

    met: int = 0
    total: int = 0

    @property
    def rate(self) -> float | None:
        return _rate(self.met, self.total)

    def __add__(self, other: "Share") -> "Share":
        return Share(self.met + other.met, self.total + other.total)


@dataclass(frozen=True)
class AttainmentRow:
    """One cell of the finest grain: a kind of clock, month, contract, priority and team."""

    kind: str
    month: date
    contract_id: int
    contract: str
    priority: int
    team_id: int | None
    team: str
    share: Share


@dataclass(frozen=True)
class Slice:
    """A total of attainment rows over one value of a dimension (a month, a contract...)."""

    kind: str
    key: object
    label: str
    share: Share


@dataclass
class Attainment:
    months: list[date]
    rows: list[AttainmentRow]
    overall: dict[str, Share]
    by_month: dict[str, list[Share]]
    by_contract: list[Slice]
    by_priority: list[Slice]
    by_team: list[Slice]


def _names(model, ids) -> dict[int, str]:
    ids = sorted(i for i in ids if i is not None)
    return dict(model.objects.filter(pk__in=ids).values_list("id", "name")) if ids else {}


def _slices(totals: dict[tuple, list[int]], labels: dict) -> list[Slice]:
    """Slices from (kind, key) → [met, total], by kind then label."""
    order = {kind: i for i, kind in enumerate(ATTAINMENT_KINDS)}
    groups = sorted(totals, key=lambda g: (order[g[0]], labels[g[1]]))
    return [Slice(kind, key, labels[key], Share(*totals[(kind, key)])) for kind, key in groups]


def _add(totals: dict, key: tuple, met: int, total: int) -> None:
    cell = totals.get(key)
    if cell is None:
        totals[key] = [met, total]
    else:
        cell[0] += met
        cell[1] += total


# (kind, contract, priority, team, month) of a cell, packed into one integer for grouping:
# SQLite groups by sorting every row, and sorting on one integer rather than five columns
# took ~40 % off this report at a million tickets. Ids must fit their bits, else the plain
# grouping is used.
ID_BITS = 26
_PACKED = (("month", 6), ("kind", 1), ("priority", 3), ("contract", ID_BITS), ("team", ID_BITS))


def _packable() -> bool:
    highest = max(
        Contract.objects.aggregate(n=Max("pk"))["n"] or 0,
        Team.objects.aggregate(n=Max("pk"))["n"] or 0,
    )
    return highest < 2**ID_BITS


def _cells(clocks: QuerySet, met, packable: bool) -> Iterator[tuple[tuple, int, int]]:
    """((kind, contract, priority, team, month), met, total) of each cell."""
    if not packable:
        rows = clocks.values_list("kind", "contract_id", "priority", "team_id", "month")
        for *key, n_met, total in rows.annotate(met=met, total=Count("pk")):
            yield tuple(key), n_met, total
        return
    parts = {
        "month": F("month"),
        "kind": Case(When(kind=ClockKind.RESOLVE, then=Value(1)), default=Value(0)),
        "priority": F("priority"),
        "contract": F("contract_id"),
        "team": Coalesce(F("team_id"), Value(0)),
    }
    packed: Any = Cast(Value(0), BigIntegerField())
    for name, bits in _PACKED:
        packed = packed * Value(2**bits) + parts[name]
    rows = clocks.annotate(cell=packed).values_list("cell").annotate(met=met, total=Count("pk"))
    kinds = {0: ClockKind.OWN, 1: ClockKind.RESOLVE}
    for cell, n_met, total in rows:
        values = {}
        for name, bits in reversed(_PACKED):
            cell, values[name] = divmod(cell, 2**bits)
        key = (
            kinds[values["kind"]],
            values["contract"],
            values["priority"],
            values["team"] or None,
            values["month"],
        )
        yield key, n_met, total


def attainment(filters: ReportFilters) -> Attainment:
    """Share of "time to own" and "time to resolve" clocks that met their target.

    Counted in a month: the clocks with a target that stopped in it (met unless breached),
    and the running ones whose due date fell in it and has passed by `filters.now`
    (breached). Clocks without a target are left out.
    """
    months, bounds = filters.months, filters.bounds
    clocks = _clocks(filters, ATTAINMENT_KINDS).filter(target_seconds__isnull=False)
    stopped = clocks.filter(
        running=False, stopped_at__gte=bounds[0], stopped_at__lt=bounds[-1]
    ).annotate(month=month_of("stopped_at", bounds))
    overdue = (
        clocks.filter(running=True, due_at__gte=bounds[0], due_at__lt=bounds[-1])
        .filter(due_at__lte=filters.now)
        .annotate(month=month_of("due_at", bounds))
    )
    # Plain lists while adding up: the cells are as many as the dimensions' values allow.
    cells: dict[tuple, list[int]] = {}
    packable = _packable()
    for key, met, total in _cells(stopped, Count("pk", filter=Q(breached=False)), packable):
        _add(cells, key, met, total)
    for key, _none, total in _cells(overdue, Value(0), packable):
        _add(cells, key, 0, total)
    contracts = _names(Contract, {key[1] for key in cells})
    teams = _names(Team, {key[3] for key in cells})
    team_label = {team: teams.get(team, "") if team else "" for team in {k[3] for k in cells}}
    per_month: dict[tuple, list[int]] = {}
    per_contract: dict[tuple, list[int]] = {}
    per_priority: dict[tuple, list[int]] = {}
    per_team: dict[tuple, list[int]] = {}
    rows = []
    for key, (met, total) in cells.items():
        kind, contract, priority, team, month = key
        _add(per_month, (kind, month), met, total)
        _add(per_contract, (kind, contract), met, total)
        _add(per_priority, (kind, priority), met, total)
        _add(per_team, (kind, team), met, total)
        rows.append(
            AttainmentRow(
                kind=kind,
                month=months[month],
                contract_id=contract,
                contract=contracts.get(contract, ""),
                priority=priority,
                team_id=team,
                team=team_label[team],
                share=Share(met, total),
            )
        )
    order = {kind: i for i, kind in enumerate(ATTAINMENT_KINDS)}
    rows.sort(key=lambda r: (order[r.kind], r.month, r.contract, -r.priority, r.team))
    by_month = {
        kind: [Share(*per_month.get((kind, i), (0, 0))) for i in range(len(months))]
        for kind in ATTAINMENT_KINDS
    }
    overall = {kind: sum(by_month[kind], Share()) for kind in ATTAINMENT_KINDS}
    return Attainment(
        months=months,
        rows=rows,
        overall=overall,
        by_month=by_month,
        by_contract=_slices(per_contract, {c: contracts.get(c, "") for _k, c in per_contract}),
        by_priority=_slices(per_priority, {p: f"P{p}" for _k, p in per_priority}),
        by_team=_slices(per_team, team_label),
    )


# --- Solved tickets: first contact, reopenings, time to resolve -------------------------------


@dataclass(frozen=True)
class SolvedCount:
    """Tickets solved (their resolution clock stopped) in a month or for a priority."""

    solved: int = 0
    first_contact: int = 0
    reopened: int = 0

    @property
    def first_contact_rate(self) -> float | None:
        return _rate(self.first_contact, self.solved)

    @property
    def reopen_rate(self) -> float | None:
        return _rate(self.reopened, self.solved)

    def __add__(self, other: "SolvedCount") -> "SolvedCount":
        return SolvedCount(
            self.solved + other.solved,
            self.first_contact + other.first_contact,
            self.reopened + other.reopened,
        )


@dataclass
class Solved:
    months: list[date]
    overall: SolvedCount
    by_month: list[SolvedCount]
    by_priority: dict[int, SolvedCount]


def _solved_clocks(filters: ReportFilters) -> QuerySet:
    """Resolution clocks stopped in the period: the tickets solved in it (a ticket reopened
    since runs its clock again and counts when it is solved anew)."""
    bounds = filters.bounds
    return _clocks(filters, [ClockKind.RESOLVE]).filter(
        running=False, stopped_at__gte=bounds[0], stopped_at__lt=bounds[-1]
    )


def solved(filters: ReportFilters) -> Solved:
    """First-contact resolution and reopenings among the tickets solved in the period.

    Solved at the first contact: the resolution clock saw no handover and no wait, and the
    ticket was never reopened. Reopened: its history has a reopening.
    """
    months = filters.months
    rows = (
        _solved_clocks(filters)
        .annotate(month=month_of("stopped_at", filters.bounds))
        .values_list("month", "priority")
        .annotate(
            solved=Count("pk"),
            first=Count("pk", filter=Q(handovers=0, waits=0, reopenings=0)),
            reopened=Count("pk", filter=Q(reopenings__gt=0)),
        )
    )
    by_month = [SolvedCount() for _month in months]
    by_priority: dict[int, SolvedCount] = defaultdict(SolvedCount)
    for month, priority, count, first, reopened in rows:
        cell = SolvedCount(count, first, reopened)
        by_month[month] += cell
        by_priority[priority] += cell
    return Solved(
        months=months,
        overall=sum(by_month, SolvedCount()),
        by_month=by_month,
        by_priority=dict(sorted(by_priority.items(), reverse=True)),
    )


def percentile(ordered: list[int], fraction: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class ResolutionTime:
    """Business seconds to resolve, for one priority (None: all of them)."""

    priority: int | None
    count: int
    median_seconds: int | None
    p90_seconds: int | None


def _resolution_time(priority: int | None, values: list[int]) -> ResolutionTime:
    if not values:
        return ResolutionTime(priority, 0, None, None)
    values.sort()
    median, p90 = percentile(values, 0.5), percentile(values, 0.9)
    return ResolutionTime(priority, len(values), round(median), round(p90))


def resolution_times(filters: ReportFilters) -> list[ResolutionTime]:
    """Median and 90th percentile of the resolution clock's business seconds per priority
    (highest first), then over every priority, for the tickets solved in the period. Only the
    two integers of each clock are read, percentiles need every value."""
    per_priority: dict[int, list[int]] = defaultdict(list)
    everything: list[int] = []
    for priority, elapsed in _solved_clocks(filters).values_list("priority", "elapsed_seconds"):
        per_priority[priority].append(elapsed)
        everything.append(elapsed)
    times = [_resolution_time(p, per_priority[p]) for p in sorted(per_priority, reverse=True)]
    return [*times, _resolution_time(None, everything)]


# --- Backlog -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgeCounts:
    """Open tickets in each age band (see AGE_BANDS), for a priority or a team (its id)."""

    key: int | None
    label: str
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class Backlog:
    as_of: datetime
    total: AgeCounts
    by_priority: list[AgeCounts]
    by_team: list[AgeCounts]


def _band_of_created_at(now: datetime) -> Case:
    whens = [
        When(created_at__gte=days_ago(now, last), then=Value(i))
        for i, (_first, last) in enumerate(AGE_BANDS)
        if last is not None
    ]
    return Case(*whens, default=Value(len(AGE_BANDS) - 1), output_field=IntegerField())


def _age_counts(grouped: dict, labels: dict) -> list[AgeCounts]:
    return [AgeCounts(key, labels[key], tuple(grouped[key])) for key in labels]


def backlog(filters: ReportFilters) -> Backlog:
    """Open tickets now (at `filters.now`) by calendar days since they were opened, per
    priority and per team. A snapshot: the period does not apply."""
    rows = (
        _tickets(filters)
        .filter(status__in=OPEN_STATUSES)
        # Grouped on the band first: grouping first on an indexed column (priority, team)
        # made SQLite walk that index over every ticket instead of reading the open ones by
        # status (Django groups on the columns before the annotations, so all are annotations).
        .annotate(band=_band_of_created_at(filters.now), p=F("priority"), t=F("team_id"))
        .values_list("band", "p", "t")
        .annotate(n=Count("pk"))
    )
    width = len(AGE_BANDS)
    total = [0] * width
    by_priority: dict[int, list[int]] = defaultdict(lambda: [0] * width)
    by_team: dict[int | None, list[int]] = defaultdict(lambda: [0] * width)
    for band, priority, team, n in rows:
        total[band] += n
        by_priority[priority][band] += n
        by_team[team][band] += n
    teams = _names(Team, by_team)
    priorities = {p: f"P{p}" for p in sorted(by_priority, reverse=True)}
    team_labels = {
        t: teams.get(t or 0, "") for t in sorted(by_team, key=lambda t: teams.get(t or 0, "~"))
    }
    return Backlog(
        as_of=filters.now,
        total=AgeCounts(None, "", tuple(total)),
        by_priority=_age_counts(by_priority, priorities),
        by_team=_age_counts(by_team, team_labels),
    )


# --- Satisfaction ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ratings:
    """Satisfaction scores given to tickets closed in a month: how many of each, 1 to 5."""

    counts: tuple[int, ...] = (0, 0, 0, 0, 0)

    @property
    def count(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        points = sum(score * n for score, n in zip(SCORES, self.counts, strict=True))
        return points / self.count if self.count else None

    def __add__(self, other: "Ratings") -> "Ratings":
        return Ratings(tuple(a + b for a, b in zip(self.counts, other.counts, strict=True)))


@dataclass
class Satisfaction:
    months: list[date]
    overall: Ratings
    by_month: list[Ratings] = field(default_factory=list)


def satisfaction(filters: ReportFilters) -> Satisfaction:
    """Scores of the tickets closed in the period (a reopened ticket is no longer closed)."""
    months, bounds = filters.months, filters.bounds
    rows = (
        _tickets(filters)
        .filter(closed_at__gte=bounds[0], closed_at__lt=bounds[-1])
        .filter(satisfaction__gte=SCORES[0], satisfaction__lte=SCORES[-1])
        .annotate(month=month_of("closed_at", bounds))
        .values_list("month", "satisfaction")
        .annotate(n=Count("pk"))
    )
    counts = [[0] * len(SCORES) for _month in months]
    for month, score, n in rows:
        counts[month][score - 1] += n
    by_month = [Ratings(tuple(c)) for c in counts]
    return Satisfaction(months=months, overall=sum(by_month, Ratings()), by_month=by_month)


# --- All of them -------------------------------------------------------------------------------


class ServiceReport:
    """Every figure for the same filters, each read when first asked for (a CSV download of
    one table reads only its figure)."""

    def __init__(self, filters: ReportFilters) -> None:
        self.filters = filters

    @cached_property
    def attainment(self) -> Attainment:
        return attainment(self.filters)

    @cached_property
    def solved(self) -> Solved:
        return solved(self.filters)

    @cached_property
    def resolution_times(self) -> list[ResolutionTime]:
        return resolution_times(self.filters)

    @cached_property
    def backlog(self) -> Backlog:
        return backlog(self.filters)

    @cached_property
    def satisfaction(self) -> Satisfaction:
        return satisfaction(self.filters)


def service_report(filters: ReportFilters) -> ServiceReport:
    return ServiceReport(filters)
