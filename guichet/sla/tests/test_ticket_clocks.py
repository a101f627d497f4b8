"""The clocks of tickets as the ticket verbs leave them (default contract: Monday–Friday
08:30–12:30 and 13:30–18:00 in Paris; priority 3: own in 2 h, resolve in 24 h)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from guichet.sla.actions import refresh_clocks, set_contract
from guichet.sla.models import Calendar, Contract, TicketClock
from guichet.tickets import actions
from guichet.tickets.choices import NO_DUE_DATE
from guichet.tickets.models import PendingReason, Ticket
from guichet.tickets.tests.factories import make_ticket

PARIS = ZoneInfo("Europe/Paris")
HOUR = 3600


def paris(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


def clocks(ticket) -> dict[str, TicketClock]:
    return {c.kind: c for c in TicketClock.objects.filter(ticket=ticket)}


@pytest.fixture
def monday_ticket(bob):
    # Monday 2 March 2026, 09:00 in Paris.
    return make_ticket(bob, at=paris(2, 9))


def test_it_starts_the_own_and_resolve_clocks_when_a_ticket_opens(monday_ticket):
    found = clocks(monday_ticket)

    assert set(found) == {"own", "resolve"}
    assert found["own"].target_seconds == 2 * HOUR
    assert found["own"].due_at == paris(2, 11)
    # 24 business hours from Monday 09:00: 8 h on Monday, 8 h 30 on Tuesday, 7 h 30 on
    # Wednesday (08:30–12:30, 13:30–17:00).
    assert found["resolve"].due_at == paris(4, 17)
    assert Ticket.objects.get(pk=monday_ticket.pk).due_at == paris(2, 11)


def test_it_stops_time_to_own_when_someone_takes_the_ticket(monday_ticket, alice):
    actions.assign(ticket=monday_ticket, actor=alice, assignee=alice, at=paris(2, 10))

    own = clocks(monday_ticket)["own"]
    assert not own.running
    assert own.stopped_at == paris(2, 10)
    assert own.elapsed_seconds == HOUR
    assert not own.breached
    assert "next_response" in clocks(monday_ticket)


def test_it_counts_no_time_while_the_ticket_waits_on_the_customer(monday_ticket, alice):
    customer = PendingReason.objects.get(code="customer")
    actions.assign(ticket=monday_ticket, actor=alice, assignee=alice, at=paris(2, 9, 30))
    actions.set_pending(
        ticket=monday_ticket, actor=alice, reason=customer, at=paris(2, 10), note="Photo?"
    )
    actions.resume(ticket=monday_ticket, actor=alice, at=paris(3, 10))
    actions.solve(ticket=monday_ticket, actor=alice, solution="Done", at=paris(3, 11))

    resolve = clocks(monday_ticket)["resolve"]
    assert resolve.elapsed_seconds == 2 * HOUR  # 09:00–10:00 Monday, 10:00–11:00 Tuesday
    assert resolve.paused_seconds == 8 * HOUR + 30 * 60  # Monday 10:00 to Tuesday 10:00
    assert resolve.waits == 1
    assert not resolve.running and resolve.stopped_at == paris(3, 11)
    assert Ticket.objects.get(pk=monday_ticket.pk).due_at == NO_DUE_DATE


def test_a_pending_reason_that_does_not_pause_lets_the_clock_run(monday_ticket, alice):
    other = PendingReason.objects.exclude(
        code__in=["customer", "supplier", "part", "planned"]
    ).first()
    if other is None:
        other = PendingReason.objects.create(code="other", name_fr="Autre", name_en="Other")
    actions.set_pending(ticket=monday_ticket, actor=alice, reason=other, at=paris(2, 10))
    refresh_clocks(monday_ticket, now=paris(2, 11))

    resolve = clocks(monday_ticket)["resolve"]
    assert resolve.elapsed_seconds == 2 * HOUR
    assert not resolve.paused


def test_raising_the_priority_keeps_the_elapsed_time_and_moves_the_due_date(monday_ticket, alice):
    actions.update_ticket(ticket=monday_ticket, actor=alice, at=paris(2, 10), urgency=5, impact=5)
    refresh_clocks(monday_ticket, now=paris(2, 10))

    own = clocks(monday_ticket)["own"]
    assert own.priority == Ticket.objects.get(pk=monday_ticket.pk).priority
    assert own.elapsed_seconds == HOUR
    assert own.target_seconds < 2 * HOUR
    assert own.due_at == paris(2, 9) + timedelta(seconds=own.target_seconds)


def test_reopening_continues_the_resolution_clock_by_default(monday_ticket, alice):
    actions.solve(ticket=monday_ticket, actor=alice, solution="Done", at=paris(2, 10))
    actions.reopen(ticket=monday_ticket, actor=alice, reason="Again", at=paris(3, 9))
    refresh_clocks(monday_ticket, now=paris(3, 10))

    resolve = clocks(monday_ticket)["resolve"]
    assert resolve.elapsed_seconds == 2 * HOUR
    assert resolve.cycle == 0


def test_reopening_restarts_the_resolution_clock_when_the_contract_says_so(monday_ticket, alice):
    Contract.objects.filter(is_default=True).update(reopen_rule="restart")
    actions.solve(ticket=monday_ticket, actor=alice, solution="Done", at=paris(2, 10))
    actions.reopen(ticket=monday_ticket, actor=alice, reason="Again", at=paris(3, 9))
    refresh_clocks(monday_ticket, now=paris(3, 10))

    resolve = clocks(monday_ticket)["resolve"]
    assert resolve.elapsed_seconds == HOUR
    assert resolve.cycle == 1
    assert resolve.started_at == paris(3, 9)


def test_changing_the_contract_counts_the_past_in_the_old_hours(monday_ticket, alice, acme):
    always = Contract.objects.create(
        name="24/7 Acme",
        organisation=acme,
        starts_on=paris(1, 0).date(),
        calendar=Calendar.objects.get(name="24/7"),
    )
    Contract.objects.get(pk=always.pk).targets.create(kind="resolve", priority=3, minutes=48 * 60)
    refresh_clocks(monday_ticket, now=paris(2, 18))
    set_contract(
        ticket=monday_ticket, actor=alice, contract=always, reason="Critical site", at=paris(2, 18)
    )
    refresh_clocks(monday_ticket, now=paris(3, 18))

    resolve = clocks(monday_ticket)["resolve"]
    assert resolve.contract_id == always.pk
    assert resolve.target_seconds == 48 * HOUR
    # Monday 09:00–18:00 in office hours (8 h), then 24 h around the clock.
    assert resolve.elapsed_seconds == 8 * HOUR + 24 * HOUR
    assert resolve.due_at == paris(4, 10)


def test_an_outsiders_contract_is_refused(monday_ticket, alice, globex):
    theirs = Contract.objects.create(
        name="Globex",
        organisation=globex,
        starts_on=paris(1, 0).date(),
        calendar=Calendar.objects.get(name="24/7"),
    )
    from guichet.lib.errors import InvalidInput

    with pytest.raises(InvalidInput) as error:
        set_contract(ticket=monday_ticket, actor=alice, contract=theirs, reason="Because")
    assert "contract" in error.value.errors


def test_an_update_on_a_solved_ticket_waits_for_a_reopening(monday_ticket, alice):
    actions.assign(ticket=monday_ticket, actor=alice, assignee=alice, at=paris(2, 9, 30))
    actions.solve(ticket=monday_ticket, actor=alice, solution="Done", at=paris(2, 10))
    actions.add_followup(ticket=monday_ticket, actor=alice, body="One more thing", at=paris(2, 11))

    update = clocks(monday_ticket)["next_response"]
    assert not update.running
    assert update.cycle == 1 and update.started_at is None  # a cycle not begun yet

    actions.reopen(ticket=monday_ticket, actor=alice, reason="Again", at=paris(3, 9))
    update = clocks(monday_ticket)["next_response"]
    assert update.running and update.started_at == paris(3, 9)
