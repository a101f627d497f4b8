"""A ticket's clocks as people read them: time left or overdue, as of now, with a state the
page colours (ok, warning, breached, paused, met, missed).

The rows hold each clock as of its last change; a running clock's time left is counted from
now to its due date in its contract's hours, so it is exact without recomputing the history.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from guichet.lib.prepared import Prepared
from guichet.sla import calendars, contracts
from guichet.sla.businesstime import timeline_seconds
from guichet.sla.choices import ClockKind
from guichet.sla.models import TicketClock

# A ticket's clock rows, read on every ticket page and API read (see guichet.lib.prepared).
clock_rows = Prepared(lambda pk: TicketClock.objects.filter(ticket_id=pk), int)

# Share of the target after which a running clock shows as a warning.
WARNING_SHARE = 0.75
# The order clocks are listed in.
ORDER = {kind: i for i, kind in enumerate(ClockKind.values)}


@dataclass(frozen=True)
class ClockView:
    kind: str
    name: str
    target_seconds: int | None
    elapsed_seconds: int
    paused_seconds: int
    remaining_seconds: int | None
    due_at: datetime | None
    running: bool
    paused: bool
    breached: bool
    stopped_at: datetime | None
    team_id: int | None

    @property
    def state(self) -> str:
        if not self.running:
            return "missed" if self.breached else "met"
        if self.breached:
            return "breached"
        if self.paused:
            return "paused"
        if self.target_seconds and self.elapsed_seconds >= WARNING_SHARE * self.target_seconds:
            return "warning"
        return "ok"

    @property
    def percent(self) -> int | None:
        if not self.target_seconds:
            return None
        return round(100 * self.elapsed_seconds / self.target_seconds)


def _business_between(contract_id: int, a: datetime, b: datetime) -> float:
    timeline = calendars.timeline(contracts.terms(contract_id).calendar_id)
    return timeline_seconds(timeline, a, b)


def view(row: TicketClock, now: datetime) -> ClockView:
    target = row.target_seconds
    elapsed = row.elapsed_seconds
    remaining = None if target is None else target - elapsed
    breached = row.breached
    if row.running and not row.paused and target is not None and row.due_at is not None:
        if now <= row.due_at:
            remaining = round(_business_between(row.contract_id, now, row.due_at))
        else:
            remaining = -round(_business_between(row.contract_id, row.due_at, now))
            breached = True
        elapsed = target - remaining
    return ClockView(
        kind=row.kind,
        name=str(ClockKind(row.kind).label),
        target_seconds=target,
        elapsed_seconds=elapsed,
        paused_seconds=row.paused_seconds,
        remaining_seconds=remaining,
        due_at=row.due_at,
        running=row.running,
        paused=row.paused,
        breached=breached or (remaining is not None and remaining < 0),
        stopped_at=row.stopped_at,
        team_id=row.team_id,
    )


def rows_of(ticket) -> list[TicketClock]:
    """The ticket's clock rows: those the last refresh left on it, else read."""
    rows = getattr(ticket, "sla_rows", None)
    if rows is None:
        rows = clock_rows(ticket.pk)
        ticket.sla_rows = rows
    return rows


def attach(tickets: Iterable) -> None:
    """Read the clock rows of many tickets in one query (a page of a list)."""
    tickets = [t for t in tickets if getattr(t, "sla_rows", None) is None]
    if not tickets:
        return
    by_ticket: dict[int, list[TicketClock]] = {t.pk: [] for t in tickets}
    for row in TicketClock.objects.filter(ticket_id__in=list(by_ticket)):
        by_ticket[row.ticket_id].append(row)
    for ticket in tickets:
        ticket.sla_rows = by_ticket[ticket.pk]


def ticket_clocks(ticket, *, internal: bool = True, now: datetime | None = None) -> list:
    """The ticket's clocks as of now; `internal` False leaves out the team's OLA (for the
    client's eyes)."""
    now = now or timezone.now()
    rows = sorted(rows_of(ticket), key=lambda r: ORDER.get(r.kind, 99))
    return [view(r, now) for r in rows if internal or r.kind != ClockKind.OLA]


def contract_name(ticket) -> str:
    """The name of the contract the ticket is measured against ("" before any clock)."""
    rows = rows_of(ticket)
    return contracts.terms(rows[0].contract_id).name if rows else ""
