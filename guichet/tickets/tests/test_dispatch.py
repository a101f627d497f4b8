"""The supervisor's dispatch board: who may open it, what it shows, assigning by click."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guichet.accounts.tests.factories import make_staff
from guichet.tickets import actions
from guichet.tickets.choices import Status
from guichet.tickets.models import Ticket
from guichet.tickets.tests.factories import make_ticket
from guichet.tickets.tests.queue_world import shown

BOARD = reverse("tickets:dispatch")
ASSIGN = reverse("tickets:dispatch-assign")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "dispatch-board"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def sam_client(sam):
    return client_for(sam)


@pytest.fixture
def waiting(bob):
    return make_ticket(bob, title="Wifi down in room 4", impact=4, urgency=4)


def test_sam_sees_unassigned_tickets_and_his_technicians(sam_client, waiting, alice):
    response = sam_client.get(BOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert shown(response) == [waiting.pk]
    assert "Wifi down in room 4" in body
    assert f'id="assign-to-{alice.pk}"' in body
    assert "Assign to Alice Test" in body


def test_an_administrator_may_dispatch(root, waiting):
    assert client_for(root).get(BOARD).status_code == 200


def test_technicians_get_403(alice_client, dave_client):
    assert alice_client.get(BOARD).status_code == 403
    assert dave_client.get(BOARD).status_code == 403


def test_requesters_get_404(charlie_client, bob_client):
    assert charlie_client.get(BOARD).status_code == 404
    assert bob_client.get(BOARD).status_code == 404


def test_anonymous_visitors_must_sign_in(client):
    response = client.get(BOARD)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_board_lists_only_unassigned_open_tickets_sam_may_see(
    sam_client, waiting, bob, alice, charlie
):
    taken = make_ticket(bob, title="Taken")
    actions.assign(ticket=taken, actor=alice, assignee=alice)
    done = make_ticket(bob, title="Done")
    actions.solve(ticket=done, actor=alice, solution="Fixed.")
    make_ticket(charlie, title="Globex printer")
    response = sam_client.get(BOARD)
    assert shown(response) == [waiting.pk]
    assert "Globex printer" not in response.content.decode()


def test_the_most_urgent_tickets_come_first(sam_client, bob):
    low = make_ticket(bob, title="Low", impact=1, urgency=1)
    high = make_ticket(bob, title="High", impact=5, urgency=5)
    medium = make_ticket(bob, title="Medium")
    assert shown(sam_client.get(BOARD)) == [high.pk, medium.pk, low.pk]


def test_workload_counts_open_tickets_by_priority(sam_client, sam, alice, bob, support_team):
    for impact, urgency in ((3, 3), (3, 3), (5, 5)):
        ticket = make_ticket(bob, impact=impact, urgency=urgency)
        actions.assign(ticket=ticket, actor=sam, assignee=alice)
    solved = make_ticket(bob)
    actions.assign(ticket=solved, actor=sam, assignee=alice)
    actions.solve(ticket=solved, actor=alice, solution="Fixed.")
    load = {w["person"]: w for w in sam_client.get(BOARD).context["workloads"]}
    assert load[alice]["by_priority"] == [0, 0, 2, 0, 1, 0]
    assert load[alice]["total"] == 3
    assert sam not in load  # the board lists technicians, not the supervisor


def test_workload_hides_tickets_of_clients_sam_does_not_serve(sam_client, alice, charlie, dave):
    secret = make_ticket(charlie, title="Globex job")
    actions.assign(ticket=secret, actor=dave, assignee=alice)
    load = {w["person"]: w for w in sam_client.get(BOARD).context["workloads"]}
    assert load[alice]["total"] == 0


def test_technicians_of_other_teams_are_not_on_sams_board(sam_client, dave):
    assert f'id="assign-to-{dave.pk}"' not in sam_client.get(BOARD).content.decode()


def test_the_board_takes_the_same_queries_for_more_technicians(
    sam_client, sam, alice, bob, support_team, django_assert_max_num_queries
):
    def queries() -> int:
        sam_client.get(BOARD)  # new technicians make the cached reference lists stale
        with CaptureQueriesContext(connection) as captured:
            assert sam_client.get(BOARD).status_code == 200
        return len(captured)

    make_ticket(bob)
    before = queries()
    for n in range(6):
        tech = make_staff(f"tech{n}", teams=[support_team])
        for _ in range(2):
            ticket = make_ticket(bob, impact=n % 5 + 1)
            actions.assign(ticket=ticket, actor=sam, assignee=tech)
        make_ticket(bob)
    assert queries() == before
    with django_assert_max_num_queries(10):
        sam_client.get(BOARD)


def test_sam_assigns_by_click_and_gets_the_board_back(sam_client, waiting, alice, support_team):
    response = sam_client.post(ASSIGN, {"ticket": waiting.pk, "assignee": alice.pk}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="dispatch-board"' in body
    assert waiting.pk not in shown(response)
    assert f"Ticket #{waiting.pk} assigned to Alice Test." in body
    waiting.refresh_from_db()
    assert (waiting.assignee, waiting.team, waiting.status) == (
        alice,
        support_team,
        Status.ASSIGNED,
    )
    assert waiting.events.filter(field="assignee", new_value=str(alice.pk)).exists()
    load = {w["person"]: w for w in response.context["workloads"]}
    assert load[alice]["by_priority"][3] == 1  # P4


def test_assigning_without_htmx_redirects_to_the_board(sam_client, waiting, alice):
    response = sam_client.post(ASSIGN, {"ticket": waiting.pk, "assignee": alice.pk}, follow=True)
    assert response.redirect_chain[-1][0] == BOARD
    assert f"Ticket #{waiting.pk} assigned to Alice Test." in response.content.decode()
    assert Ticket.objects.get(pk=waiting.pk).assignee == alice


def test_the_ticket_keeps_its_team(sam_client, waiting, alice, sam, globex_team):
    actions.assign(ticket=waiting, actor=sam, team=globex_team)
    sam_client.post(ASSIGN, {"ticket": waiting.pk, "assignee": alice.pk}, **HTMX)
    assert Ticket.objects.get(pk=waiting.pk).team == globex_team


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"assignee": "ALICE"}, 400, "Choose a ticket first"),
        ({"ticket": "WAITING"}, 400, "is chosen: now choose the technician"),
        ({"ticket": "WAITING", "assignee": "DAVE"}, 400, "Choose a technician of your teams."),
        ({"ticket": "WAITING", "assignee": "BOB"}, 400, "Choose a technician of your teams."),
        ({"ticket": "WAITING", "assignee": "x1"}, 400, "Choose a technician of your teams."),
    ],
)
def test_bad_assignments_answer_4xx_with_the_reason(
    sam_client, waiting, alice, dave, bob, data, status, message
):
    names = {"ALICE": alice.pk, "DAVE": dave.pk, "BOB": bob.pk, "WAITING": waiting.pk}
    data = {key: names.get(value, value) for key, value in data.items()}
    for headers in (HTMX, {}):
        response = sam_client.post(ASSIGN, data, **headers)
        assert response.status_code == status
        assert message in response.content.decode()
    assert Ticket.objects.get(pk=waiting.pk).assignee is None


def test_a_refused_assignment_keeps_the_ticket_chosen(sam_client, waiting, bob):
    make_ticket(bob, title="Another")
    response = sam_client.post(ASSIGN, {"ticket": waiting.pk, "assignee": ""}, **HTMX)
    assert response.status_code == 400
    radio = re.search(
        rf'<input type="radio"[^>]*id="pick-{waiting.pk}"[^>]*>', response.content.decode()
    )
    assert radio and "checked" in radio.group()


def test_a_ticket_sam_cannot_see_is_404(sam_client, alice, charlie):
    secret = make_ticket(charlie)
    for ticket in (secret.pk, "abc", 10**30):
        response = sam_client.post(ASSIGN, {"ticket": ticket, "assignee": alice.pk}, **HTMX)
        assert response.status_code == 404
    assert Ticket.objects.get(pk=secret.pk).assignee is None


def test_an_already_assigned_ticket_is_not_taken_away(
    sam_client, waiting, alice, sam, support_team
):
    other = make_staff("olga", teams=[support_team])
    actions.assign(ticket=waiting, actor=sam, assignee=other)
    response = sam_client.post(ASSIGN, {"ticket": waiting.pk, "assignee": alice.pk}, **HTMX)
    assert response.status_code == 409
    assert "already assigned to Olga Test" in response.content.decode()
    assert Ticket.objects.get(pk=waiting.pk).assignee == other


def test_a_solved_ticket_cannot_be_dispatched(sam_client, waiting, alice, sam):
    actions.solve(ticket=waiting, actor=sam, solution="Rebooted the access point.")
    response = sam_client.post(ASSIGN, {"ticket": waiting.pk, "assignee": alice.pk}, **HTMX)
    assert response.status_code == 409
    assert "Only an open ticket can be assigned." in response.content.decode()


def test_only_supervisors_may_assign_from_the_board(
    alice_client, dave_client, charlie_client, waiting, alice
):
    data = {"ticket": waiting.pk, "assignee": alice.pk}
    assert alice_client.post(ASSIGN, data).status_code == 403
    assert dave_client.post(ASSIGN, data).status_code == 403
    assert charlie_client.post(ASSIGN, data).status_code == 404
    assert Ticket.objects.get(pk=waiting.pk).assignee is None


def test_the_board_only_answers_get_and_assign_only_post(sam_client):
    assert sam_client.post(BOARD).status_code == 405
    assert sam_client.get(ASSIGN).status_code == 405


def test_the_board_is_keyboard_usable(sam_client, waiting, alice):
    body = sam_client.get(BOARD).content.decode()
    assert f'<input type="radio" name="ticket" value="{waiting.pk}"' in body
    assert "<legend>1. Choose a ticket</legend>" in body
    assert 'hx-post="/tickets/dispatch/assign/"' in body
    # Enter on a ticket submits with a first button that names no technician.
    assert '<button type="submit" name="assignee" value="" hidden' in body
