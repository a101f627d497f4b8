"""Phone intake through HTTP: caller search, caller card, priority preview, creation."""

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import make_location, make_user
from guichet.tickets import actions
from guichet.tickets.choices import Channel, EventKind, Status
from guichet.tickets.models import Ticket
from guichet.tickets.tests.factories import category, make_ticket

INTAKE = reverse("tickets:intake")
CALLERS = reverse("tickets:intake-callers")
PRIORITY = reverse("tickets:intake-priority")


def card_url(user):
    return reverse("tickets:intake-caller", args=[user.pk])


def search(client, q):
    response = client.get(CALLERS, {"q": q})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def bob_with_mobile(bob):
    bob.mobile = "06.11.22.33.44"
    bob.save(update_fields=["mobile"])
    return bob


def test_the_page_is_ready_for_a_call(alice_client):
    response = alice_client.get(INTAKE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="caller-q"' in html and "autofocus" in html
    assert 'accesskey="c"' in html and 'accesskey="s"' in html
    assert "Keyboard shortcuts" in html
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert '<optgroup label="Hardware">' in html


def test_requesters_are_sent_to_the_portal_form(bob_client, charlie_client):
    for client in (bob_client, charlie_client):
        response = client.get(INTAKE)
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:new")


@pytest.mark.parametrize("q", ["bo", "Bob Test", "BOB@EXAMPLE", "test bob"])
def test_it_finds_callers_by_name_or_email(alice_client, bob, q):
    assert "Bob Test" in search(alice_client, q)


@pytest.mark.parametrize(
    "q", ["4567", "45 67 89", "01 23 45 67 89", "0123456789", "+33 1 23 45", "0033123456789"]
)
def test_it_finds_callers_by_phone_digits(alice_client, bob, q):
    assert "Bob Test" in search(alice_client, q)


def test_it_finds_callers_by_mobile(alice_client, bob_with_mobile):
    assert "Bob Test" in search(alice_client, "0611 223 344")


def test_it_lists_only_requesters(alice_client, bob, sam):
    html = search(alice_client, "Test")
    assert "Bob Test" in html
    assert "Sam Test" not in html and "Alice Test" not in html


def test_too_short_or_unmatched_queries_list_nobody(alice_client, bob):
    assert "Bob Test" not in search(alice_client, "b")
    assert "No caller matches" in search(alice_client, "zzzz")
    assert "Bob Test" not in search(alice_client, "999")


def test_dave_never_finds_acme_contacts(dave_client, bob, charlie):
    for q in ("bob", "Test", "4567", "01 23 45 67 89", "example.test"):
        assert "Bob Test" not in search(dave_client, q)
    assert "Charlie Test" in search(dave_client, "charlie")


def test_alice_never_finds_globex_contacts(alice_client, charlie):
    assert "Charlie Test" not in search(alice_client, "charlie")


def test_requesters_cannot_search(bob_client, charlie_client, bob):
    for client in (bob_client, charlie_client):
        response = client.get(CALLERS, {"q": "bob"})
        assert response.status_code == 403
        assert b"Bob Test" not in response.content


def test_odd_queries_do_not_fail(alice_client, bob):
    for q in ("%", "_", "'; drop table", "a" * 500, "\x00ab", "++--..", "(0)"):
        assert alice_client.get(CALLERS, {"q": q}).status_code == 200


def test_the_caller_card_shows_organisation_location_and_open_tickets(alice_client, bob, alice):
    bob.location = make_location(bob.organisation, "Lyon office")
    bob.save(update_fields=["location"])
    open_one = make_ticket(bob, title="Mail down")
    closed = make_ticket(bob, title="Old problem")
    actions.solve(ticket=closed, actor=alice, solution="Fixed")
    actions.close(ticket=closed, actor=alice)
    response = alice_client.get(card_url(bob))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Acme" in html and "Lyon office" in html
    assert f'name="requester" value="{bob.pk}"' in html
    assert reverse("tickets:detail", args=[open_one.pk]) in html
    assert "Mail down" in html
    assert "Old problem" not in html
    assert "1 open ticket" in html
    assert 'hx-swap-oob="true"' in html  # the result list is cleared


def test_outsiders_get_no_caller_card(dave_client, charlie_client, alice_client, bob, charlie, sam):
    make_ticket(bob, title="Mail down")
    response = dave_client.get(card_url(bob))
    assert response.status_code == 404
    assert b"Mail down" not in response.content and b"Bob" not in response.content
    assert charlie_client.get(card_url(bob)).status_code == 403
    assert alice_client.get(card_url(charlie)).status_code == 404
    assert alice_client.get(card_url(sam)).status_code == 404  # staff are not callers


def test_the_priority_preview_follows_the_matrix(alice_client, charlie_client):
    response = alice_client.get(PRIORITY, {"impact": 5, "urgency": 4})
    assert 'class="badge prio-5"' in response.content.decode()
    response = alice_client.get(PRIORITY, {"impact": 1, "urgency": 1})
    assert 'class="badge prio-1"' in response.content.decode()
    for bad in ({"impact": 9, "urgency": 1}, {"impact": "x"}, {}):
        response = alice_client.get(PRIORITY, bad)
        assert response.status_code == 200
        assert "prio-" not in response.content.decode()
    assert charlie_client.get(PRIORITY, {"impact": 1, "urgency": 1}).status_code == 403


def intake_data(requester, **changes):
    data = {
        "requester": requester.pk,
        "type": "request",
        "category": category("hardware-printer").pk,
        "impact": 4,
        "urgency": 5,
        "title": "Needs a new printer",
        "description": "The old one *died*.",
    }
    data.update(changes)
    return data


def test_it_creates_a_phone_ticket_and_opens_it(alice_client, bob, alice):
    response = alice_client.post(INTAKE, intake_data(bob), follow=True)
    ticket = Ticket.objects.get()
    assert response.redirect_chain[-1][0] == reverse("tickets:detail", args=[ticket.pk])
    assert f"Ticket #{ticket.pk} was created for Bob Test." in response.content.decode()
    assert (ticket.requester, ticket.channel, ticket.created_by) == (bob, Channel.PHONE, alice)
    assert (ticket.type, ticket.category.code, ticket.impact, ticket.urgency) == (
        "request",
        "hardware-printer",
        4,
        5,
    )
    assert ticket.priority == 5
    assert ticket.organisation == bob.organisation
    assert ticket.status == Status.NEW
    assert ticket.events.get().kind == EventKind.CREATED


def test_it_asks_for_the_caller_first(alice_client):
    response = alice_client.post(
        INTAKE, {"title": "x", "type": "incident", "impact": 3, "urgency": 3}
    )
    assert response.status_code == 400
    assert "Choose the caller first" in response.content.decode()
    assert not Ticket.objects.exists()


def test_it_refuses_callers_the_technician_does_not_serve(alice_client, dave_client, bob, charlie):
    response = alice_client.post(INTAKE, intake_data(charlie))
    assert response.status_code == 400
    assert "Unknown caller" in response.content.decode()
    response = dave_client.post(INTAKE, intake_data(bob))
    assert response.status_code == 400
    assert b"Bob Test" not in response.content
    assert not Ticket.objects.exists()


def test_it_keeps_the_input_and_shows_errors_next_to_fields(alice_client, bob):
    response = alice_client.post(
        INTAKE, intake_data(bob, title=" ", impact=9, category="nope", description="kept text")
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("title", "impact", "category"):
        assert f'id="id_{field}_error"' in html
    assert "kept text" in html
    assert f'name="requester" value="{bob.pk}"' in html  # the chosen caller is kept
    assert not Ticket.objects.exists()


def test_action_errors_come_back_on_the_form(alice_client, bob):
    response = alice_client.post(INTAKE, intake_data(bob, title="x\x00y"))
    assert response.status_code == 400
    assert not Ticket.objects.exists()


def test_it_works_without_javascript(alice_client, bob):
    html = alice_client.get(INTAKE, {"q": "bob"}).content.decode()
    assert f'name="caller" value="{bob.pk}"' in html
    html = alice_client.get(INTAKE, {"q": "bob", "caller": bob.pk}).content.decode()
    assert f'name="requester" value="{bob.pk}"' in html
    for caller in ("abc", "99999999999999999999999", "-1"):
        assert alice_client.get(INTAKE, {"caller": caller}).status_code == 200


def test_a_caller_without_organisation_is_reported(alice_client, root):
    lonely = make_user("lonely")
    client = alice_client
    client.force_login(root)
    response = client.post(INTAKE, intake_data(lonely))
    assert response.status_code == 400
    assert "belongs to no organisation" in response.content.decode()
