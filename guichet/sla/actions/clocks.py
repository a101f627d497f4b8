"""Keeping each ticket's clock rows and due date in step with its history.

Called by the ticket verbs through `tickets.hooks` inside their transaction, so a ticket and
its clocks never disagree; by the worker after calendars or contracts change; and by
`guichet sla recompute`.
"""

import math
from collections.abc import Iterable
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.lib import refcache
from guichet.lib.errors import InvalidInput
from guichet.sla import contracts, history
from guichet.sla.clocks import Clock, compute
from guichet.sla.models import Contract, EscalationFiring, TicketClock
from guichet.tickets.choices import NO_DUE_DATE, OPEN_STATUSES, EventKind
from guichet.tickets.models import Ticket, TicketEvent
from guichet.tickets.queries import ticket_events

# The columns a refresh writes; anything else on the row is the row's identity.
FIELDS = (
    "contract_id",
    "organisation_id",
    "team_id",
    "priority",
    "target_seconds",
    "elapsed_seconds",
    "paused_seconds",
    "cycle",
    "started_at",
    "stopped_at",
    "running",
    "paused",
    "breached",
    "due_at",
    "handovers",
    "waits",
    "reopenings",
    "next_step_at",
)
REASON_MAX = 1000


def fired_steps(ticket_id: int) -> set[tuple[int, int]]:
    """(step, cycle) of the escalation steps the ticket has fired."""
    return set(EscalationFiring.objects.filter(ticket_id=ticket_id).values_list("step_id", "cycle"))


def next_step_at(clock: Clock, fired: set[tuple[int, int]] | None) -> datetime | None:
    """When the first step of the ladder not yet fired in this cycle is reached."""
    if clock.target_seconds is None or fired is None:
        return None
    ladder = contracts.terms(clock.contract_id).steps.get(clock.kind, ())
    for percent, step_id in ladder:
        if (step_id, clock.cycle) in fired:
            continue
        return clock.reach(math.ceil(clock.target_seconds * percent / 100))
    return None


def _values(clock: Clock, facts: dict[str, int], fired, organisation_id: int | None) -> dict:
    return {
        "contract_id": clock.contract_id,
        "organisation_id": organisation_id,
        "team_id": clock.team_id,
        "priority": clock.priority,
        "target_seconds": clock.target_seconds,
        "elapsed_seconds": round(clock.elapsed_seconds),
        "paused_seconds": round(clock.paused_seconds),
        "cycle": clock.cycle,
        "started_at": clock.started_at,
        "stopped_at": clock.stopped_at,
        "running": clock.running,
        "paused": clock.paused,
        "breached": clock.breached,
        "due_at": clock.due_at,
        "handovers": facts["handovers"],
        "waits": facts["waits"],
        "reopenings": facts["reopenings"],
        "next_step_at": next_step_at(clock, fired) if clock.running else None,
    }


def ticket_due(clocks: Iterable[Clock]) -> datetime:
    """The ticket's due date for the queues: the earliest of its running clocks'."""
    dues = [c.due_at for c in clocks if c.running and c.due_at is not None]
    return min(dues) if dues else NO_DUE_DATE


def opening_contract(ticket: Ticket) -> int | None:
    """The contract covering the ticket's client the day it was opened."""
    return contracts.contract_for(ticket.organisation_id, timezone.localdate(ticket.created_at))


def compute_for(
    ticket: Ticket,
    events: Iterable[TicketEvent] | None = None,
    now: datetime | None = None,
    *,
    contract_id: int | None = None,
) -> tuple[dict[str, Clock], dict[str, int]]:
    """The ticket's clocks as of `now`, from its history (read unless given). It started
    under `contract_id`, else under the contract its client had the day it was opened."""
    now = now or timezone.now()
    if events is None:
        events = ticket_events(ticket.pk)
    start_contract = contract_id or opening_contract(ticket)
    if start_contract is None:
        return {}, {}
    start, changes = history.read(ticket, events, start_contract)
    return compute(start, changes, max(now, ticket.created_at), contracts.REFERENCE)


def refresh_clocks(
    ticket: Ticket,
    *,
    events: Iterable[TicketEvent] | None = None,
    now: datetime | None = None,
    fired: set[tuple[int, int]] | None = None,
) -> dict[str, Clock]:
    """Recompute the ticket's clocks from its history and store what changed.

    The contract a ticket started under is kept on its clock rows from the start (a change
    of contract is an event whose old value says it too), so editing contract periods later
    never changes what a ticket was measured against. `fired` is the ticket's fired steps
    when the caller has read them already."""
    existing = {row.kind: row for row in TicketClock.objects.filter(ticket_id=ticket.pk)}
    first = existing.get("resolve") or next(iter(existing.values()), None)
    clocks, facts = compute_for(
        ticket, events, now, contract_id=first.contract_id if first else None
    )
    with_steps = any(
        contracts.terms(c.contract_id).steps.get(c.kind) for c in clocks.values() if c.running
    )
    if not with_steps:
        fired = None
    elif fired is None:
        fired = fired_steps(ticket.pk)
    new_rows, rows = [], []
    for kind, clock in clocks.items():
        values = _values(clock, facts, fired, ticket.organisation_id)
        row = existing.pop(kind, None)
        if row is None:
            row = TicketClock(ticket_id=ticket.pk, kind=kind, **values)
            new_rows.append(row)
        else:
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            if changed:
                for name in changed:
                    setattr(row, name, values[name])
                row.save(update_fields=changed)
        rows.append(row)
    if new_rows:
        TicketClock.objects.bulk_create(new_rows)
    ticket.sla_rows = rows  # type: ignore[attr-defined]  # shown by sla.display
    if existing:
        TicketClock.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()
    due = ticket_due(clocks.values())
    if ticket.due_at != due:
        Ticket.objects.filter(pk=ticket.pk).update(due_at=due)
        ticket.due_at = due
    return clocks


def on_opened(ticket: Ticket, at: datetime) -> None:
    """A new ticket's clocks, written with two plain statements: opening is the busiest write
    path (mail, the API, monitoring), and a ticket just opened has nothing to read back (its
    only event is "created", it has no clock and has fired no step)."""
    clocks, facts = compute_for(ticket, [], at)
    rows = [
        TicketClock(
            ticket_id=ticket.pk,
            kind=kind,
            **_values(clock, facts, set(), ticket.organisation_id),
        )
        for kind, clock in clocks.items()
    ]
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        if rows:
            cursor.executemany(
                INSERT_SQL,
                [
                    [adapt(v) if isinstance(v, datetime) else v for v in _row_params(row)]
                    for row in rows
                ],
            )
        due = ticket_due(clocks.values())
        if ticket.due_at != due:
            cursor.execute(DUE_SQL, [adapt(due), ticket.pk])
            ticket.due_at = due
    ticket.sla_rows = rows  # type: ignore[attr-defined]  # shown by sla.display


INSERT_COLUMNS = ("ticket_id", "kind", *FIELDS)
INSERT_SQL = (
    f"INSERT INTO {TicketClock._meta.db_table} ({', '.join(INSERT_COLUMNS)})"  # noqa: S608
    f" VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))})"
)
DUE_SQL = f"UPDATE {Ticket._meta.db_table} SET due_at = %s WHERE id = %s"  # noqa: S608


def _row_params(row: TicketClock) -> list:
    return [getattr(row, column) for column in INSERT_COLUMNS]


def on_changed(ticket: Ticket, at: datetime) -> None:
    refresh_clocks(ticket)


@transaction.atomic
def set_contract(
    *,
    ticket: Ticket,
    actor,
    contract: Contract | None,
    reason: str,
    at: datetime | None = None,
) -> Ticket:
    """Put the ticket under another contract, with a reason, recorded in its history. Time
    already counted stays counted in the hours it was counted in."""
    from guichet.tickets.actions.common import lock, record, require_staff, save

    require_staff(actor)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if contract is None:
        errors["contract"] = [_("Choose a contract.")]
    if not reason:
        errors["reason"] = [_("Say why the ticket changes contract.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("At most %(n)d characters.") % {"n": REASON_MAX}]
    if errors or contract is None:
        raise InvalidInput(errors)
    if contract.organisation_id not in (None, ticket.organisation_id):
        raise InvalidInput({"contract": [_("This contract is another client's.")]})
    ticket = lock(ticket)
    current = current_contract(ticket)
    if current == contract.pk:
        return ticket
    at = at or timezone.now()
    record(
        ticket,
        actor,
        EventKind.CHANGED,
        at=at,
        field=history.CONTRACT,
        old=current or "",
        new=contract.pk,
        note=reason,
        public=False,
    )
    save(ticket, [], at=at)
    return ticket


def current_contract(ticket: Ticket) -> int | None:
    """The contract the ticket is measured against now."""
    kept = (
        TicketClock.objects.filter(ticket_id=ticket.pk)
        .values_list("contract_id", flat=True)
        .first()
    )
    return kept or opening_contract(ticket)


def refresh_open_tickets(batch: int = 500) -> int:
    """Recompute the clocks of every open ticket (after calendars or contracts changed);
    returns how many. Each ticket in its own transaction, so the worker never holds the
    database for long."""
    done, last = 0, 0
    while True:
        ids = list(
            Ticket.objects.filter(status__in=OPEN_STATUSES, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        with refcache.scope():  # contracts and calendars read once per batch
            for ticket in Ticket.objects.filter(pk__in=ids):
                with transaction.atomic():
                    refresh_clocks(ticket)
                done += 1
        last = ids[-1]


def recompute_later() -> None:
    """After the transaction, have the worker recompute open tickets' clocks: a calendar, a
    contract or an OLA changed (closed tickets keep the figures they were measured with)."""
    from guichet.sla import tasks

    transaction.on_commit(tasks.recompute_open_tickets.enqueue)
