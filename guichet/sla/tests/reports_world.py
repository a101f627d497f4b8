"""Hand-built tickets and clocks for the report tests: rows written directly, so that each
figure can be checked exactly against a few numbers."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from guichet.sla.models import Calendar, Contract, TicketClock
from guichet.sla.reports.filters import ReportFilters
from guichet.tickets.models import Ticket

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 15, 12, 0, tzinfo=PARIS)


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Paris: at("2026-01-05", 9) is 5 January 2026 at 09:00."""
    return datetime.combine(date.fromisoformat(day), datetime.min.time(), tzinfo=PARIS).replace(
        hour=hour, minute=minute
    )


def default_contract() -> Contract:
    return Contract.objects.get(is_default=True)


def client_contract(organisation, name: str = "Acme Gold") -> Contract:
    return Contract.objects.create(
        name=name,
        organisation=organisation,
        starts_on=date(2025, 1, 1),
        calendar=Calendar.objects.get(name="24/7"),
    )


def ticket(requester, *, created: datetime | None = None, **fields) -> Ticket:
    created = created or at("2026-01-02")
    fields.setdefault("organisation", requester.organisation)
    return Ticket.objects.create(
        title="Printer does not print",
        requester=requester,
        created_at=created,
        updated_at=created,
        **fields,
    )


def clock(ticket: Ticket, kind: str, *, contract: Contract, stopped=None, **fields) -> TicketClock:
    """The (ticket, kind) clock, stopped at `stopped` or running."""
    values = {
        "contract": contract,
        "organisation_id": ticket.organisation_id,
        "team": ticket.team,
        "reopenings": ticket.reopen_count,
        "priority": ticket.priority,
        "target_seconds": 3600,
        "started_at": ticket.created_at,
        "stopped_at": stopped,
        "running": stopped is None,
        **fields,
    }
    found, _created = TicketClock.objects.update_or_create(
        ticket=ticket, kind=kind, defaults=values
    )
    return found


def year_2026(**fields) -> ReportFilters:
    fields.setdefault("now", NOW)
    return ReportFilters(start=date(2026, 1, 1), end=date(2026, 12, 1), **fields)
