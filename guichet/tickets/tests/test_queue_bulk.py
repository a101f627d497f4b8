"""Bulk actions from the queue: assign, set pending, close solved tickets."""

import pytest
from django.urls import reverse

from guichet.problems.models import Problem
from guichet.tickets import actions
from guichet.tickets.choices import Status
from guichet.tickets.models import PendingReason, Ticket
from guichet.tickets.tests.factories import make_ticket

QUEUE = reverse("tickets:queue")
BULK = reverse("tickets:queue-bulk")


@pytest.fixture
def two(bob):
    return [make_ticket(bob, title="First"), make_ticket(bob, title="Second")]


def post(client, tickets, follow=True, **data):
    data.setdefault("next", f"{QUEUE}?scope=all")
    return client.post(BULK, {"ids": [getattr(t, "pk", t) for t in tickets], **data}, follow=follow)


def fresh(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


def test_it_assigns_the_selected_tickets_to_a_technician(alice_client, alice, two):
    response = post(alice_client, two, action="assign", assignee=alice.pk)
    assert response.redirect_chain[-1][0] == f"{QUEUE}?scope=all"
    assert "2 tickets updated." in response.content.decode()
    for ticket in two:
        assert (fresh(ticket).assignee, fresh(ticket).status) == (alice, Status.ASSIGNED)


def test_assigning_a_team_keeps_the_technician(alice_client, alice, sam, bob, globex_team):
    ticket = make_ticket(bob)
    actions.assign(ticket=ticket, actor=alice, assignee=sam)
    post(alice_client, [ticket], action="assign", team=globex_team.pk)
    assert (fresh(ticket).team, fresh(ticket).assignee) == (globex_team, sam)


def test_assigning_a_technician_keeps_the_team(alice_client, alice, sam, bob, support_team):
    ticket = make_ticket(bob)
    actions.assign(ticket=ticket, actor=alice, team=support_team)
    post(alice_client, [ticket], action="assign", assignee=sam.pk)
    assert (fresh(ticket).team, fresh(ticket).assignee) == (support_team, sam)


def test_it_sets_the_selected_tickets_pending_with_a_reason(alice_client, two):
    reason = PendingReason.objects.get(code="supplier")
    response = post(alice_client, two, action="pending", reason=reason.pk, note="RMA sent")
    assert "2 tickets updated." in response.content.decode()
    for ticket in two:
        assert (fresh(ticket).status, fresh(ticket).pending_reason) == (Status.PENDING, reason)
        assert fresh(ticket).events.filter(field="pending_reason", note="RMA sent").exists()


def test_it_closes_solved_tickets_and_says_which_could_not_be(alice_client, alice, two):
    solved, still_open = two
    actions.solve(ticket=solved, actor=alice, solution="Fixed.")
    response = post(alice_client, two, action="close")
    body = response.content.decode()
    assert fresh(solved).status == Status.CLOSED
    assert fresh(still_open).status == Status.NEW
    assert "1 ticket updated." in body
    assert f"#{still_open.pk}: Only a solved ticket can be closed." in body


def test_invisible_and_malformed_ids_are_ignored_and_counted(alice_client, alice, two, charlie):
    globex = make_ticket(charlie, title="Globex secret")
    response = post(alice_client, [*two, globex, "abc"], action="assign", assignee=alice.pk)
    body = response.content.decode()
    assert "2 tickets updated." in body
    assert "2 selected tickets were not found and were ignored." in body
    assert fresh(globex).assignee is None
    assert "Globex secret" not in body


def test_dave_cannot_touch_acme_tickets(dave_client, dave, two):
    response = post(dave_client, two, action="assign", assignee=dave.pk)
    assert "2 selected tickets were not found" in response.content.decode()
    assert all(fresh(t).assignee is None for t in two)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "assign"}, "Choose a team, a technician or both."),
        ({"action": "assign", "team": "999999"}, "Unknown team."),
        ({"action": "assign", "assignee": "abc"}, "Unknown technician."),
        ({"action": "pending"}, "Say what the tickets wait for."),
        ({"action": "pending", "reason": "1", "note": "x" * 2001}, "at most 2000 characters"),
        ({"action": "explode"}, "Choose an action."),
        ({}, "Choose an action."),
    ],
)
def test_bad_bulk_requests_answer_400_and_change_nothing(alice_client, two, data, message):
    response = post(alice_client, two, follow=False, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert all(fresh(t).status == Status.NEW and fresh(t).assignee is None for t in two)


def test_a_requester_cannot_be_made_assignee(alice_client, bob, two):
    response = post(alice_client, two, follow=False, action="assign", assignee=bob.pk)
    assert response.status_code == 400
    assert all(fresh(t).assignee is None for t in two)


def test_nothing_selected_is_a_400(alice_client, alice, two):
    response = post(alice_client, [], follow=False, action="assign", assignee=alice.pk)
    assert response.status_code == 400
    assert "Select at least one ticket." in response.content.decode()


def test_too_many_tickets_at_once_is_a_400(alice_client, alice, two):
    response = post(alice_client, range(1, 300), follow=False, action="assign", assignee=alice.pk)
    assert response.status_code == 400
    assert "At most 200 tickets at a time." in response.content.decode()


def test_it_never_redirects_off_the_queue(alice_client, alice, two):
    for target in ("https://evil.example/", "//evil.example/tickets/", "/accounts/profile/"):
        response = post(
            alice_client, two, follow=False, action="assign", assignee=alice.pk, next=target
        )
        assert response["Location"] == QUEUE


def test_the_bulk_form_is_on_the_queue_page(alice_client, two):
    body = alice_client.get(QUEUE, {"scope": "all"}).content.decode()
    assert f'action="{BULK}"' in body
    assert 'data-select-all="ids"' in body
    assert "Select all the tickets on this page" in body
    assert f'name="ids" value="{two[0].pk}"' in body


def test_charlie_gets_404(charlie_client, two):
    response = post(charlie_client, two, follow=False, action="close")
    assert response.status_code == 404


def test_bulk_needs_a_post(alice_client):
    assert alice_client.get(BULK).status_code == 405


def test_the_selected_incidents_open_the_new_problem_form(alice_client, two, charlie):
    # given two of alice's tickets, one she cannot see and a malformed id
    globex = make_ticket(charlie, title="Globex secret")
    first, second = sorted(two, key=lambda t: t.pk)
    response = post(alice_client, [second, globex, first, "x"], action="problem")
    # then the problem form opens with her two tickets only, nothing created yet
    url, _status = response.redirect_chain[-1]
    assert url == f"{reverse('problems:new')}?tickets={first.pk},{second.pk}"
    body = response.content.decode()
    assert f'value="{first.pk}, {second.pk}"' in body
    assert "2 selected tickets were not found and were ignored." in body
    assert "Globex secret" not in body
    assert not Problem.objects.exists()


def test_a_problem_from_nothing_visible_is_refused(dave_client, two):
    response = post(dave_client, two, action="problem")
    assert response.redirect_chain[-1][0] == f"{QUEUE}?scope=all"
    assert "2 selected tickets were not found" in response.content.decode()
