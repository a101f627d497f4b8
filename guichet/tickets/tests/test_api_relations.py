"""API v1 ticket links and watchers."""

import pytest

from guichet.tickets import actions
from guichet.tickets.models import TicketLink
from guichet.tickets.tests.api_helpers import ApiCaller
from guichet.tickets.tests.factories import make_ticket


@pytest.fixture
def api(client):
    return ApiCaller(client)


def test_staff_link_two_tickets_and_both_show_the_link(api, alice, bob):
    parent, child = make_ticket(bob, title="Network down"), make_ticket(bob, title="No mail")

    response = api.as_(alice).post(
        f"/tickets/{parent.pk}/links", {"target": child.pk, "kind": "parent"}
    )

    assert response.status_code == 201
    link = response.json()
    assert (link["source"], link["target"], link["kind"]) == (parent.pk, child.pk, "parent")
    for ticket in (parent, child):
        listed = api.as_(bob).get(f"/tickets/{ticket.pk}/links").json()
        assert [item["id"] for item in listed] == [link["id"]]
    again = api.as_(alice).post(
        f"/tickets/{parent.pk}/links", {"target": child.pk, "kind": "parent"}
    )
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [({"target": 424242, "kind": "related"}, "target"), ({"target": 1, "kind": "sibling"}, "kind")],
)
def test_a_link_needs_a_known_ticket_and_kind(api, alice, bob, body, field):
    ticket = make_ticket(bob)

    response = api.as_(alice).post(f"/tickets/{ticket.pk}/links", body)

    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_a_ticket_cannot_be_linked_to_itself(api, alice, bob):
    ticket = make_ticket(bob)

    response = api.as_(alice).post(
        f"/tickets/{ticket.pk}/links", {"target": ticket.pk, "kind": "related"}
    )

    assert response.status_code == 422
    assert not TicketLink.objects.exists()


def test_links_to_tickets_the_caller_cannot_see_are_not_listed(api, alice, root, bob, charlie):
    acme, globex = make_ticket(bob), make_ticket(charlie)
    actions.link_tickets(source=acme, target=globex, kind="related", actor=root)

    assert api.as_(alice).get(f"/tickets/{acme.pk}/links").json() == []
    assert len(api.as_(root).get(f"/tickets/{acme.pk}/links").json()) == 1


def test_a_requester_cannot_link_tickets(api, bob):
    first, second = make_ticket(bob), make_ticket(bob)

    response = api.as_(bob).post(
        f"/tickets/{first.pk}/links", {"target": second.pk, "kind": "related"}
    )

    assert response.status_code == 403


def test_watchers_are_added_and_removed(api, alice, sam, bob):
    ticket = make_ticket(bob)

    response = api.as_(alice).post(f"/tickets/{ticket.pk}/watchers", {"user": sam.pk})
    assert [w["id"] for w in response.json()] == [sam.pk]
    response = api.as_(bob).post(f"/tickets/{ticket.pk}/watchers", {"user": bob.pk})
    assert {w["id"] for w in response.json()} == {sam.pk, bob.pk}

    response = api.as_(alice).delete(f"/tickets/{ticket.pk}/watchers/{sam.pk}")
    assert response.status_code == 200
    assert [w["id"] for w in response.json()] == [bob.pk]
    assert [w["id"] for w in api.as_(bob).get(f"/tickets/{ticket.pk}/watchers").json()] == [bob.pk]


def test_a_requester_only_adds_themselves_as_watcher(api, alice, bob):
    ticket = make_ticket(bob)

    response = api.as_(bob).post(f"/tickets/{ticket.pk}/watchers", {"user": alice.pk})

    assert response.status_code == 403
    assert not ticket.watchers.exists()


def test_a_stranger_cannot_be_made_a_watcher(api, alice, bob, charlie):
    ticket = make_ticket(bob)

    response = api.as_(alice).post(f"/tickets/{ticket.pk}/watchers", {"user": charlie.pk})

    assert response.status_code == 422
    assert "user" in response.json()["errors"]


def test_outsiders_get_a_404_on_links_and_watchers(api, alice, bob, charlie, dave):
    ticket, other = make_ticket(bob), make_ticket(bob)
    actions.add_watcher(ticket=ticket, actor=alice, user=alice)
    base = f"/tickets/{ticket.pk}"

    for user in (charlie, dave):
        caller = api.as_(user)
        assert caller.get(f"{base}/links").status_code == 404
        assert caller.get(f"{base}/watchers").status_code == 404
        body = {"target": other.pk, "kind": "related"}
        assert caller.post(f"{base}/links", body).status_code == 404
        assert caller.post(f"{base}/watchers", {"user": user.pk}).status_code == 404
        assert caller.delete(f"{base}/watchers/{alice.pk}").status_code == 404
    assert not TicketLink.objects.exists()
    assert list(ticket.watchers.all()) == [alice]
