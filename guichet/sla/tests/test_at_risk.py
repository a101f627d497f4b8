"""The supervisor's board of tickets about to breach, each in its contract's hours."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.choices import Role
from guichet.accounts.tests.factories import make_staff
from guichet.sla.views.board import at_risk
from guichet.tickets.tests.factories import make_ticket

URL = reverse("sla:at-risk")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def overdue(bob):
    return make_ticket(bob, title="Server down for a month", at=timezone.now() - timedelta(days=30))


@pytest.fixture
def fresh(bob):
    return make_ticket(bob, title="Brand new", urgency=1, impact=1)


def test_the_board_lists_overdue_tickets_first_and_leaves_out_far_ones(sam, overdue, fresh):
    response = signed_in(sam).get(URL, {"hours": 1})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Server down for a month" in body
    assert "Brand new" not in body  # its first target is 8 business hours away


def test_a_wider_window_takes_in_tickets_due_later(sam, overdue, fresh):
    found = {row["ticket"].pk for row in at_risk(sam, hours=40, team_id=None, now=timezone.now())}

    assert {overdue.pk, fresh.pk} <= found


def test_technicians_may_not_open_the_board_and_requesters_do_not_see_it(alice_client, bob_client):
    assert alice_client.get(URL).status_code == 403
    assert bob_client.get(URL).status_code == 404


def test_another_clients_supervisor_does_not_see_these_tickets(globex_team, overdue):
    outsider = make_staff("olga", role=Role.SUPERVISOR, teams=[globex_team])

    body = signed_in(outsider).get(URL, {"hours": 40}).content.decode()

    assert "Server down for a month" not in body


def test_a_window_not_offered_is_a_clear_error(sam):
    response = signed_in(sam).get(URL, {"hours": "999999999999999999999"})

    assert response.status_code == 400
    assert "business hours" in response.content.decode() or "heures" in response.content.decode()


def test_a_ticket_shows_once_on_its_most_urgent_clock(sam, overdue):
    rows = at_risk(sam, hours=1, team_id=None, now=timezone.now())

    mine = [r for r in rows if r["ticket"].pk == overdue.pk]
    assert len(mine) == 1
    assert mine[0]["clock"].kind == "own"  # due two hours after opening, before resolution
    assert mine[0]["others"] == ["Time to resolve"]
