"""Tenancy on every portal endpoint: outsiders get 404, staff are sent to their own screens."""

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import make_user
from guichet.portal.tests.conftest import png, text_file
from guichet.tickets import actions
from guichet.tickets.choices import Status
from guichet.tickets.models import Attachment, FollowUp, Ticket

ENDPOINTS = [
    ("get", "detail", {}),
    ("post", "reply", {"body": "Hello"}),
    ("post", "accept", {}),
    ("post", "refuse", {"reason": "No"}),
    ("post", "rate", {"score": "5"}),
]


@pytest.fixture
def bob_file(solved_ticket, alice):
    return actions.add_attachment(ticket=solved_ticket, actor=alice, upload=text_file())


def _call(client, method, name, ticket, data):
    return getattr(client, method)(reverse(f"portal:{name}", args=[ticket.pk]), data)


def _unchanged(ticket):
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert fresh.status == Status.SOLVED and fresh.satisfaction is None
    assert fresh.reopen_count == 0
    assert not FollowUp.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize(("method", "name", "data"), ENDPOINTS)
def test_charlie_gets_404_on_bobs_ticket(charlie_client, solved_ticket, method, name, data):
    response = _call(charlie_client, method, name, solved_ticket, data)
    assert response.status_code == 404
    _unchanged(solved_ticket)


def test_charlie_gets_404_on_bobs_files(charlie_client, solved_ticket, bob_file):
    url = reverse("portal:download", args=[solved_ticket.pk, bob_file.pk])
    assert charlie_client.get(url).status_code == 404


def test_charlie_cannot_slip_a_file_onto_bobs_ticket(charlie_client, solved_ticket):
    url = reverse("portal:reply", args=[solved_ticket.pk])
    assert charlie_client.post(url, {"file": png()}).status_code == 404
    assert not Attachment.objects.exists()


def test_an_unknown_ticket_is_a_404(bob_client):
    assert bob_client.get(reverse("portal:detail", args=[999999])).status_code == 404
    assert bob_client.get(reverse("portal:download", args=[999999, 1])).status_code == 404


@pytest.mark.parametrize(("method", "name", "data"), ENDPOINTS)
def test_a_plain_colleague_gets_404(client, acme, solved_ticket, method, name, data):
    client.force_login(make_user("carol", organisation=acme))
    assert _call(client, method, name, solved_ticket, data).status_code == 404
    _unchanged(solved_ticket)


def test_an_org_manager_reads_and_answers_a_colleagues_ticket(client, acme, solved_ticket):
    manager = make_user("maria", organisation=acme, is_org_manager=True)
    client.force_login(manager)
    body = client.get(reverse("portal:detail", args=[solved_ticket.pk])).content.decode()
    assert "Screen flickers" in body and "Bob Test" in body
    assert reverse("portal:accept", args=[solved_ticket.pk]) in body
    # Only the requester rates the service they received.
    assert reverse("portal:rate", args=[solved_ticket.pk]) not in body
    assert _call(client, "post", "rate", solved_ticket, {"score": "5"}).status_code == 403
    assert _call(client, "post", "accept", solved_ticket, {}).status_code == 302
    assert Ticket.objects.get(pk=solved_ticket.pk).status == Status.CLOSED


def test_another_organisations_manager_gets_404(client, globex, solved_ticket):
    client.force_login(make_user("gus", organisation=globex, is_org_manager=True))
    for method, name, data in ENDPOINTS:
        assert _call(client, method, name, solved_ticket, data).status_code == 404
    _unchanged(solved_ticket)


@pytest.mark.parametrize(("method", "name", "data"), ENDPOINTS)
def test_staff_are_sent_to_the_staff_ticket_page(alice_client, solved_ticket, method, name, data):
    response = _call(alice_client, method, name, solved_ticket, data)
    assert response.status_code == 302
    assert response.url == reverse("tickets:detail", args=[solved_ticket.pk])
    _unchanged(solved_ticket)


def test_a_staff_outsider_is_sent_away_without_any_change(dave_client, solved_ticket, bob_file):
    for method, name, data in ENDPOINTS:
        response = _call(dave_client, method, name, solved_ticket, data)
        assert response.url == reverse("tickets:detail", args=[solved_ticket.pk])
    url = reverse("portal:download", args=[solved_ticket.pk, bob_file.pk])
    assert dave_client.get(url).status_code == 302
    _unchanged(solved_ticket)


@pytest.mark.parametrize(("method", "name", "data"), ENDPOINTS)
def test_anonymous_visitors_are_asked_to_sign_in(client, solved_ticket, method, name, data):
    response = _call(client, method, name, solved_ticket, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    _unchanged(solved_ticket)
