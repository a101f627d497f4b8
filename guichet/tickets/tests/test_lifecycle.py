"""The ticket lifecycle through the actions: statuses, transitions, events, priority."""

import datetime as dt

import pytest
from django.utils import timezone

from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.tickets import actions
from guichet.tickets.choices import EventKind, Status
from guichet.tickets.models import PendingReason, Ticket, TicketEvent
from guichet.tickets.tests.factories import make_ticket


def test_it_opens_with_defaults_and_records_an_event(bob):
    ticket = make_ticket(bob)
    assert (ticket.type, ticket.impact, ticket.urgency, ticket.priority) == ("incident", 3, 3, 3)
    assert ticket.organisation == bob.organisation
    assert ticket.status == Status.NEW
    assert ticket.events.get().kind == EventKind.CREATED


def test_it_computes_priority_from_the_matrix(bob, alice):
    ticket = make_ticket(bob, impact=5, urgency=4)
    assert ticket.priority == 5
    ticket = actions.update_ticket(ticket=ticket, actor=alice, impact=1)
    assert ticket.priority == 2
    assert ticket.events.filter(field="priority", old_value="5", new_value="2").exists()


def test_major_priority_needs_a_reason(bob, alice):
    ticket = make_ticket(bob)
    with pytest.raises(InvalidInput) as err:
        actions.update_ticket(ticket=ticket, actor=alice, priority=6)
    assert "major_reason" in err.value.errors
    ticket = actions.update_ticket(
        ticket=ticket, actor=alice, priority=6, major_reason="Whole site down"
    )
    assert ticket.priority == 6
    # Changing the urgency does not silently lower a major incident.
    ticket = actions.update_ticket(ticket=ticket, actor=alice, urgency=1)
    assert ticket.priority == 6


def test_it_rejects_a_blank_title_and_saves_nothing(bob):
    with pytest.raises(InvalidInput) as err:
        actions.open_ticket(actor=bob, title="   ")
    assert "title" in err.value.errors
    assert Ticket.objects.count() == 0


def test_assignment_moves_status_and_notifies(bob, alice, sam):
    ticket = make_ticket(bob)
    ticket = actions.assign(ticket=ticket, actor=sam, assignee=alice)
    assert ticket.status == Status.ASSIGNED
    assert alice.notifications.filter(ticket=ticket, kind="assigned").exists()


def test_requester_cannot_assign(bob, alice):
    ticket = make_ticket(bob)
    with pytest.raises(Forbidden):
        actions.assign(ticket=ticket, actor=bob, assignee=alice)


def test_full_path_solve_refuse_solve_accept(bob, alice):
    ticket = make_ticket(bob)
    actions.assign(ticket=ticket, actor=alice, assignee=alice)
    actions.solve(ticket=ticket, actor=alice, solution="Replaced the toner")
    ticket = actions.refuse_solution(ticket=ticket, actor=bob, reason="Still streaks")
    assert ticket.status == Status.ASSIGNED
    assert ticket.reopen_count == 1
    actions.solve(ticket=ticket, actor=alice, solution="Cleaned the drum")
    ticket = actions.accept_solution(ticket=ticket, actor=bob)
    assert ticket.status == Status.CLOSED and ticket.closed_at is not None
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds.count(EventKind.SOLVED) == 2 and EventKind.REFUSED in kinds


def test_forbidden_transition_is_a_conflict(bob, alice):
    ticket = make_ticket(bob)
    with pytest.raises(Conflict):
        actions.close(ticket=ticket, actor=alice)
    with pytest.raises(Conflict):
        actions.accept_solution(ticket=ticket, actor=bob)


def test_pending_until_wakes_up(bob, alice):
    ticket = make_ticket(bob)
    reason = PendingReason.objects.get(code="customer")
    later = timezone.now() + dt.timedelta(hours=1)
    actions.set_pending(ticket=ticket, actor=alice, reason=reason, until=later)
    Ticket.objects.filter(pk=ticket.pk).update(pending_until=timezone.now() - dt.timedelta(1))
    assert actions.wake_pending_tickets() == 1
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW and ticket.pending_reason is None


def test_requester_reply_ends_a_wait_on_the_customer(bob, alice):
    ticket = make_ticket(bob)
    actions.set_pending(ticket=ticket, actor=alice, reason=PendingReason.objects.first())
    actions.add_followup(ticket=ticket, actor=bob, body="Here is the screenshot")
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_solved_tickets_close_after_the_waiting_period(bob, alice, settings):
    settings.TICKET_AUTOCLOSE_DAYS = 3
    ticket = make_ticket(bob)
    actions.solve(
        ticket=ticket, actor=alice, solution="Done", at=timezone.now() - dt.timedelta(days=4)
    )
    fresh = make_ticket(bob)
    actions.solve(ticket=fresh, actor=alice, solution="Done")
    assert actions.close_solved_tickets() == 1
    ticket.refresh_from_db()
    fresh.refresh_from_db()
    assert (ticket.status, fresh.status) == (Status.CLOSED, Status.SOLVED)


def test_merge_moves_followups_and_points_to_target(bob, alice):
    source, target = make_ticket(bob, title="A"), make_ticket(bob, title="B")
    actions.add_followup(ticket=source, actor=bob, body="more detail")
    actions.merge(source=source, target=target, actor=alice)
    source.refresh_from_db()
    assert source.merged_into == target and source.status == Status.CLOSED
    assert target.followups.count() == 1
    with pytest.raises(Conflict):
        actions.add_followup(ticket=source, actor=bob, body="late")


def test_functional_escalation_needs_a_note(bob, alice, globex_team):
    ticket = make_ticket(bob)
    with pytest.raises(InvalidInput):
        actions.escalate(ticket=ticket, actor=alice, team=globex_team, note="")
    actions.escalate(ticket=ticket, actor=alice, team=globex_team, note="Needs network skills")
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.ESCALATED).exists()


def test_hierarchical_escalation_flags_and_notifies_the_supervisor(bob, alice, sam):
    ticket = make_ticket(bob)
    ticket = actions.escalate_to_supervisor(ticket=ticket, actor=alice, note="VIP angry")
    assert ticket.escalated
    assert sam.notifications.filter(ticket=ticket, kind="escalated_up").exists()


def test_requester_cannot_end_a_wait_by_hand(bob, alice):
    ticket = make_ticket(bob)
    actions.set_pending(ticket=ticket, actor=alice, reason=PendingReason.objects.first())
    with pytest.raises(Forbidden):
        actions.resume(ticket=ticket, actor=bob)
