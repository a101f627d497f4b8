"""Saved queue views: save, list, open, replace, delete; only one's own."""

import pytest
from django.urls import reverse

from guichet.tickets import actions
from guichet.tickets.models import SavedView
from guichet.tickets.tests.factories import make_ticket
from guichet.tickets.tests.queue_world import shown

QUEUE = reverse("tickets:queue")
CREATE = reverse("tickets:saved-view-create")


@pytest.fixture
def alice_view(alice):
    return SavedView.objects.create(user=alice, name="Solved ones", query="scope=all&status=solved")


def test_it_saves_the_current_filters_under_a_name(alice_client, alice):
    response = alice_client.post(CREATE, {"name": "VPN", "query": "scope=all&q=VPN"})
    assert response.status_code == 302
    assert response["Location"] == f"{QUEUE}?scope=all&q=VPN"
    view = SavedView.objects.get(user=alice)
    assert (view.name, view.query) == ("VPN", "scope=all&q=VPN")


def test_the_queue_offers_to_save_its_filters(alice_client):
    params = {"scope": "team", "q": "VPN", "team": "", "created_after": ""}
    body = alice_client.get(QUEUE, params).content.decode()
    # The empty fields a GET form sends are not part of a view.
    assert 'name="query" value="scope=team&amp;q=VPN"' in body
    assert '<label for="sv-name">' in body


def test_saved_views_are_listed_and_open_their_filters(alice_client, alice_view, alice, bob):
    ticket = make_ticket(bob)
    actions.assign(ticket=ticket, actor=alice, assignee=alice)
    actions.solve(ticket=ticket, actor=alice, solution="Done.")
    make_ticket(bob, title="Still open")

    body = alice_client.get(QUEUE).content.decode()
    assert "Solved ones" in body
    assert reverse("tickets:saved-view", args=[alice_view.pk]) in body

    response = alice_client.get(reverse("tickets:saved-view", args=[alice_view.pk]), follow=True)
    assert response.redirect_chain[-1][0] == f"{QUEUE}?scope=all&status=solved"
    assert shown(response) == [ticket.pk]
    assert 'aria-current="true">Solved ones<' in response.content.decode()


def test_saving_under_the_same_name_replaces_the_filters(alice_client, alice_view):
    alice_client.post(CREATE, {"name": "Solved ones", "query": "scope=all&status=closed"})
    alice_view.refresh_from_db()
    assert alice_view.query == "scope=all&status=closed"
    assert SavedView.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "  ", "query": "scope=all"}, "This field is required."),
        ({"name": "x" * 101, "query": "scope=all"}, "At most 100 characters."),
        ({"name": "Bad", "query": "status=bogus"}, "Unknown status"),
        ({"name": "Long", "query": "q=" + "a" * 1000}, "At most 1000 characters."),
    ],
)
def test_bad_views_are_refused_with_a_message(alice_client, data, message):
    response = alice_client.post(CREATE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SavedView.objects.exists()


def test_it_deletes_a_view(alice_client, alice_view):
    response = alice_client.post(
        reverse("tickets:saved-view-delete", args=[alice_view.pk]), follow=True
    )
    assert response.status_code == 200
    assert not SavedView.objects.filter(pk=alice_view.pk).exists()
    assert "was deleted" in response.content.decode()


def test_delete_needs_a_post(alice_client, alice_view):
    url = reverse("tickets:saved-view-delete", args=[alice_view.pk])
    assert alice_client.get(url).status_code == 405
    assert SavedView.objects.filter(pk=alice_view.pk).exists()


def test_dave_neither_sees_nor_uses_nor_deletes_alice_view(dave_client, alice_view):
    assert "Solved ones" not in dave_client.get(QUEUE).content.decode()
    assert dave_client.get(reverse("tickets:saved-view", args=[alice_view.pk])).status_code == 404
    delete = reverse("tickets:saved-view-delete", args=[alice_view.pk])
    assert dave_client.post(delete).status_code == 404
    assert SavedView.objects.filter(pk=alice_view.pk).exists()


def test_a_view_of_the_same_name_is_per_user(dave_client, dave, alice_view):
    dave_client.post(CREATE, {"name": "Solved ones", "query": "scope=open"})
    alice_view.refresh_from_db()
    assert alice_view.query == "scope=all&status=solved"
    assert SavedView.objects.get(user=dave).query == "scope=open"


def test_charlie_gets_404_on_every_saved_view_endpoint(charlie_client, alice_view):
    assert (
        charlie_client.get(reverse("tickets:saved-view", args=[alice_view.pk])).status_code == 404
    )
    delete = reverse("tickets:saved-view-delete", args=[alice_view.pk])
    assert charlie_client.post(delete).status_code == 404
    assert charlie_client.post(CREATE, {"name": "Mine", "query": ""}).status_code == 404
    assert SavedView.objects.count() == 1
