"""A ticket's event rows read as the clock engine's history (`sla.clocks.Start`, `Change`)."""

from collections.abc import Iterable

from guichet.accounts import reference as people
from guichet.sla.clocks import Change, Start
from guichet.tickets.choices import EventKind
from guichet.tickets.models import Ticket, TicketEvent

CONTRACT = "contract"  # TicketEvent.field of the events that give a ticket its contract


def _id(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


def _change(event: TicketEvent, staff: dict) -> Change | None:
    kind, name, at = event.kind, event.field, event.created_at
    if kind == EventKind.STATUS:
        return Change(at, "status", event.new_value)
    if kind == EventKind.PENDING and name == "pending_reason":
        return Change(at, "pending_reason", _id(event.new_value))
    if kind == EventKind.CHANGED and name == "priority":
        return Change(at, "priority", int(event.new_value))
    if kind == EventKind.CHANGED and name == CONTRACT:
        return Change(at, "contract", int(event.new_value))
    if kind in (EventKind.ASSIGNED, EventKind.ESCALATED) and name in ("team", "assignee"):
        return Change(at, name, _id(event.new_value))
    if kind == EventKind.ESCALATED_UP:
        return Change(at, "handover")
    if kind == EventKind.FOLLOWUP and event.is_public and event.actor_id in staff:
        return Change(at, "response")
    if kind == EventKind.REOPENED:
        return Change(at, "reopen")
    if kind == EventKind.VISIT:
        return Change(at, "visit", event.new_value)
    return None


def _first_old(events: list[TicketEvent], kinds: tuple[str, ...], name: str):
    for event in events:
        if event.kind in kinds and event.field == name:
            return event.old_value, True
    return None, False


def read(ticket: Ticket, events: Iterable[TicketEvent], default_contract: int) -> tuple:
    """(Start, [Change]) of the ticket. How it was opened is what the first change of each
    field says it was before, else what it is now; its first contract is what the first
    change of contract says it was before, else `default_contract`."""
    events = list(events)
    staff = people.staff_by_id()
    changes = [c for c in (_change(e, staff) for e in events) if c is not None]
    status, found = _first_old(events, (EventKind.STATUS,), "status")
    priority, has_priority = _first_old(events, (EventKind.CHANGED,), "priority")
    team, has_team = _first_old(events, (EventKind.ASSIGNED, EventKind.ESCALATED), "team")
    assignee, has_assignee = _first_old(events, (EventKind.ASSIGNED,), "assignee")
    contract, has_contract = _first_old(events, (EventKind.CHANGED,), CONTRACT)
    start = Start(
        at=ticket.created_at,
        status=status if found else ticket.status,
        priority=int(priority) if has_priority else ticket.priority,
        contract_id=_id(contract) or default_contract if has_contract else default_contract,
        team_id=_id(team) if has_team else ticket.team_id,
        assignee_id=_id(assignee) if has_assignee else ticket.assignee_id,
    )
    return start, changes
