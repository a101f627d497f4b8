"""The problem verbs: events for every change, the transition map, links on both sides."""

import pytest

from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.problems import actions
from guichet.problems.choices import ProblemEventKind, ProblemStatus
from guichet.problems.models import ProblemEvent, ProblemTicket
from guichet.problems.tests.factories import make_problem, reload
from guichet.tickets.actions.common import compute_priority
from guichet.tickets.choices import EventKind
from guichet.tickets.models import TicketEvent
from guichet.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db


def test_creating_a_problem_computes_its_priority_and_writes_an_event(alice):
    problem = make_problem(alice, impact=5, urgency=4, root_cause="Driver 5.2")

    assert problem.priority == compute_priority(impact=5, urgency=4)
    assert problem.status == ProblemStatus.NEW
    assert list(problem.events.values_list("kind", flat=True)) == [ProblemEventKind.CREATED]


def test_creating_from_incidents_links_them_with_an_event_on_each_side(alice, bob):
    first, second = make_ticket(bob), make_ticket(bob, title="Printer again")

    problem = make_problem(alice, tickets=[first, second])

    assert set(problem.incidents.values_list("pk", flat=True)) == {first.pk, second.pk}
    linked = problem.events.filter(kind=ProblemEventKind.LINKED)
    assert sorted(linked.values_list("new_value", flat=True)) == sorted(
        [str(first.pk), str(second.pk)]
    )
    on_ticket = TicketEvent.objects.get(ticket=first, kind=EventKind.PROBLEM)
    assert problem.reference in on_ticket.note
    assert on_ticket.is_public is False


def test_a_technician_cannot_link_a_ticket_they_cannot_see(dave, bob):
    ticket = make_ticket(bob)

    with pytest.raises(InvalidInput):
        make_problem(dave, tickets=[ticket])
    problem = make_problem(dave)
    with pytest.raises(InvalidInput):
        actions.link_ticket(problem=problem, ticket=ticket, actor=dave)
    assert not ProblemTicket.objects.exists()
    assert not TicketEvent.objects.filter(kind=EventKind.PROBLEM).exists()


def test_a_requester_cannot_create_a_problem(bob):
    with pytest.raises(Forbidden):
        make_problem(bob)


def test_bad_input_saves_nothing(alice):
    with pytest.raises(InvalidInput) as caught:
        make_problem(alice, title="  ", impact=9, assignee=None)
    assert set(caught.value.errors) == {"title", "impact"}
    assert not ProblemEvent.objects.exists()


def test_a_requester_cannot_be_the_problem_manager(alice, bob):
    with pytest.raises(InvalidInput) as caught:
        make_problem(alice, assignee=bob)
    assert "assignee" in caught.value.errors


def test_updating_writes_one_event_per_changed_field_with_old_and_new(alice, sam):
    problem = make_problem(alice, impact=3, urgency=3)

    actions.update_problem(
        problem=problem,
        actor=sam,
        title=problem.title,
        impact=5,
        assignee=alice,
        category=category("hardware-printer"),
        workaround="Roll back to driver 5.1",
    )

    changes = {
        e.field: (e.old_value, e.new_value)
        for e in problem.events.filter(kind=ProblemEventKind.CHANGED)
    }
    assert changes["impact"] == ("3", "5")
    assert changes["assignee"] == ("", str(alice.pk))
    assert changes["workaround"] == ("", "Roll back to driver 5.1")
    assert changes["priority"][1] == str(compute_priority(impact=5, urgency=3))
    assert "title" not in changes
    assert reload(problem).priority == compute_priority(impact=5, urgency=3)


def test_an_update_that_changes_nothing_writes_nothing(alice):
    problem = make_problem(alice, workaround="Restart")
    before = problem.events.count()

    actions.update_problem(problem=problem, actor=alice, workaround="Restart")

    assert problem.events.count() == before


def test_status_follows_the_transition_map_and_stamps_times(alice):
    problem = make_problem(alice)

    actions.set_status(problem=problem, actor=alice, status=ProblemStatus.SOLVED)
    solved = reload(problem)
    assert solved.solved_at is not None
    with pytest.raises(Conflict):
        actions.set_status(problem=problem, actor=alice, status=ProblemStatus.KNOWN_ERROR)
    actions.set_status(problem=problem, actor=alice, status=ProblemStatus.CLOSED)
    closed = reload(problem)
    assert closed.closed_at is not None and closed.solved_at == solved.solved_at
    actions.set_status(problem=problem, actor=alice, status=ProblemStatus.ANALYSING, note="Back")

    reopened = reload(problem)
    assert reopened.solved_at is None and reopened.closed_at is None
    moves = list(
        problem.events.filter(kind=ProblemEventKind.STATUS).values_list("old_value", "new_value")
    )
    assert moves == [("new", "solved"), ("solved", "closed"), ("closed", "analysing")]


def test_an_unknown_status_is_a_conflict(alice):
    with pytest.raises(Conflict):
        actions.set_status(problem=make_problem(alice), actor=alice, status="gone")


def test_unlinking_writes_events_and_a_second_link_is_refused(alice, bob):
    ticket = make_ticket(bob)
    problem = make_problem(alice)
    actions.link_ticket(problem=problem, ticket=ticket, actor=alice)
    with pytest.raises(InvalidInput):
        actions.link_ticket(problem=problem, ticket=ticket, actor=alice)

    actions.unlink_ticket(problem=problem, ticket=ticket, actor=alice)

    assert not problem.incidents.exists()
    assert problem.events.filter(kind=ProblemEventKind.UNLINKED, old_value=str(ticket.pk)).exists()
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.PROBLEM).count() == 2
    with pytest.raises(InvalidInput):
        actions.unlink_ticket(problem=problem, ticket=ticket, actor=alice)
