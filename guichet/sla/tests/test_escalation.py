"""Escalation ladders: each step fires once per ticket, target and cycle, by whichever worker
gets there, however late."""

import threading
from datetime import timedelta

import pytest
from django.db import connection

from guichet.accounts.models import Team
from guichet.notifications.models import Notification
from guichet.sla.actions.clocks import refresh_open_tickets
from guichet.sla.actions.escalation import run_escalations
from guichet.sla.models import Contract, EscalationFiring, EscalationStep, TicketClock
from guichet.sla.tests.test_ticket_clocks import paris
from guichet.tickets import actions
from guichet.tickets.choices import EventKind, Priority
from guichet.tickets.models import Ticket, TicketEvent
from guichet.tickets.tests.factories import make_ticket


def default_contract() -> Contract:
    return Contract.objects.get(is_default=True)


def step(percent: int, action: str, kind: str = "own", **fields) -> EscalationStep:
    created = EscalationStep.objects.create(
        contract=default_contract(), kind=kind, percent=percent, action=action, **fields
    )
    # What the worker does after a contract is saved: open tickets learn of the new step.
    refresh_open_tickets()
    return created


def sla_events(ticket) -> list[str]:
    return list(
        TicketEvent.objects.filter(ticket=ticket, kind=EventKind.SLA).values_list(
            "new_value", flat=True
        )
    )


@pytest.fixture
def assigned_ticket(bob, alice):
    # Time to own of priority 3 is 2 business hours; assigned to a team only, nobody owns it.
    ticket = make_ticket(bob, at=paris(2, 9))
    team = Team.objects.get(members=alice)
    return actions.assign(ticket=ticket, actor=alice, team=team, at=paris(2, 9))


def test_it_fires_a_step_once_when_its_share_of_the_target_is_reached(assigned_ticket, alice):
    step(50, "notify_assignee")

    assert run_escalations(now=paris(2, 9, 59)) == 0
    assert run_escalations(now=paris(2, 10, 1)) == 1
    assert run_escalations(now=paris(2, 10, 30)) == 0

    assert sla_events(assigned_ticket) == ["notify_assignee"]
    assert Notification.objects.filter(user=alice, kind="sla").count() == 1


def test_it_catches_up_every_step_missed_while_no_worker_ran(assigned_ticket):
    for percent in (50, 75, 100, 150):
        step(percent, "notify_assignee")

    # The worker was stopped from Monday 09:00 until Tuesday noon.
    assert run_escalations(now=paris(3, 12)) == 4
    assert run_escalations(now=paris(3, 13)) == 0
    assert EscalationFiring.objects.filter(ticket=assigned_ticket).count() == 4


def test_the_next_step_is_found_with_one_indexed_read(assigned_ticket):
    step(50, "notify_assignee")
    step(100, "notify_supervisor")

    clock = TicketClock.objects.get(ticket=assigned_ticket, kind="own")
    assert clock.next_step_at == paris(2, 10)
    run_escalations(now=paris(2, 10))
    clock.refresh_from_db()
    assert clock.next_step_at == paris(2, 11)


def test_a_step_no_longer_fires_once_the_clock_stopped(assigned_ticket, alice):
    step(50, "notify_assignee")
    actions.assign(ticket=assigned_ticket, actor=alice, assignee=alice, at=paris(2, 9, 30))

    assert run_escalations(now=paris(2, 12)) == 0
    assert TicketClock.objects.get(ticket=assigned_ticket, kind="own").next_step_at is None


def test_hierarchical_escalation_flags_the_ticket_for_the_supervisor(assigned_ticket):
    step(100, "notify_supervisor")

    run_escalations(now=paris(2, 11, 5))

    ticket = Ticket.objects.get(pk=assigned_ticket.pk)
    assert ticket.escalated
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ESCALATED_UP).exists()


def test_functional_escalation_hands_the_ticket_to_the_steps_team(assigned_ticket, dave):
    expert = Team.objects.get(members=dave)
    step(100, "reassign", team=expert)

    run_escalations(now=paris(2, 11, 5))

    assert Ticket.objects.get(pk=assigned_ticket.pk).team == expert


def test_raising_the_priority_moves_the_due_dates_and_flags_major_later(assigned_ticket):
    step(50, "raise_priority")
    step(100, "flag_major")

    run_escalations(now=paris(2, 10, 5))
    ticket = Ticket.objects.get(pk=assigned_ticket.pk)
    assert ticket.priority == 4
    own = TicketClock.objects.get(ticket=ticket, kind="own")
    assert own.priority == 4
    assert own.target_seconds == 3600  # priority 4: an hour, already over

    run_escalations(now=paris(2, 10, 6))
    ticket.refresh_from_db()
    assert ticket.priority == Priority.MAJOR
    assert ticket.major_reason


def test_time_between_updates_escalates_again_in_each_cycle(bob, alice):
    ticket = make_ticket(bob, at=paris(2, 9))
    actions.assign(ticket=ticket, actor=alice, assignee=alice, at=paris(2, 9))
    step(100, "notify_assignee", kind="next_response")  # 8 business hours at priority 3

    assert run_escalations(now=paris(3, 9, 30)) == 1
    actions.add_followup(ticket=ticket, actor=alice, body="Still on it", at=paris(3, 10))
    assert run_escalations(now=paris(3, 12)) == 0
    assert run_escalations(now=paris(4, 10, 30)) == 1
    cycles = sorted(EscalationFiring.objects.filter(ticket=ticket).values_list("cycle", flat=True))
    assert cycles == [0, 1]


def test_a_step_another_worker_claimed_is_not_taken_again(assigned_ticket):
    notify = step(50, "notify_assignee")
    # Another worker inserted the firing row first (and is about to act on it).
    EscalationFiring.objects.create(
        ticket=assigned_ticket, step=notify, cycle=0, fired_at=paris(2, 10)
    )

    assert run_escalations(now=paris(2, 10, 30)) == 0
    assert sla_events(assigned_ticket) == []


# Threads share one connection's in-memory database on SQLite, where writers queue anyway;
# PostgreSQL is where two workers really race.
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_two_workers_scanning_at_once_fire_each_step_once(bob, alice):
    team = Team.objects.get(members=alice)
    tickets = [make_ticket(bob, at=paris(2, 9)) for _ in range(6)]
    for ticket in tickets:
        actions.assign(ticket=ticket, actor=alice, team=team, at=paris(2, 9))
    for percent in (50, 100):
        step(percent, "notify_assignee")
    barrier = threading.Barrier(2)
    results: list[int] = []

    def worker():
        barrier.wait()
        try:
            results.append(run_escalations(now=paris(2, 12)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(results) == 12
    assert EscalationFiring.objects.count() == 12
    for ticket in tickets:
        assert sorted(sla_events(ticket)) == ["notify_assignee", "notify_assignee"]


def test_steps_reached_in_the_future_are_not_fired_early(assigned_ticket):
    step(100, "notify_assignee")

    assert run_escalations(now=paris(2, 9) + timedelta(minutes=119)) == 0
