"""Solving a ticket records what changed on its assets, in the same transaction."""

import pytest
from django.urls import reverse

from guichet.assets import actions
from guichet.assets.choices import AssetEventKind, AssetState, Source
from guichet.assets.tests.factories import make_asset, reload
from guichet.lib.errors import InvalidInput
from guichet.tickets.choices import Status
from guichet.tickets.models import Ticket
from guichet.tickets.tests.factories import make_ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ticket(bob):
    return make_ticket(bob, title="Laptop will not boot")


@pytest.fixture
def laptop(alice, acme, bob, ticket):
    asset = make_asset(alice, acme, name="LT-0042", state=AssetState.IN_REPAIR)
    actions.link_ticket(ticket=ticket, asset=asset, actor=alice)
    return asset


def solve(client, ticket, **fields):
    data = {"solution": "Motherboard replaced.", **fields}
    return client.post(reverse("tickets:detail-solve", args=[ticket.pk]), data, **HTMX)


def test_the_solve_form_offers_the_change_of_each_linked_asset(alice_client, ticket, laptop, bob):
    html = alice_client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "New state of LT-0042" in html
    assert "New assigned user of LT-0042" in html
    assert "What changed on LT-0042" in html
    assert f'name="asset_{laptop.pk}_user"' in html and bob.display_name in html


def test_a_ticket_without_assets_keeps_the_plain_solve_form(alice_client, ticket):
    html = alice_client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "Propose the solution" in html
    assert "New state of" not in html


def test_solving_records_the_new_state_user_and_note_with_the_ticket_number(
    alice_client, alice, ticket, laptop, bob
):
    prefix = f"asset_{laptop.pk}_"
    response = solve(
        alice_client,
        ticket,
        **{prefix + "state": AssetState.IN_USE, prefix + "user": bob.pk,
           prefix + "note": "Motherboard replaced under warranty"},
    )  # fmt: skip

    assert response.status_code == 200
    assert Ticket.objects.get(pk=ticket.pk).status == Status.SOLVED
    asset = reload(laptop)
    assert (asset.state, asset.user) == (AssetState.IN_USE, bob)
    events = laptop.events.filter(kind__in=[AssetEventKind.STATE, AssetEventKind.CHANGED])
    rows = set(events.values_list("field", "source", "note", "actor"))
    note = f"#{ticket.pk}: Motherboard replaced under warranty"
    assert rows == {
        ("state", Source.TICKET, note, alice.pk),
        ("user", Source.TICKET, note, alice.pk),
    }


def test_a_note_alone_is_kept_in_the_assets_history(alice_client, ticket, laptop):
    solve(alice_client, ticket, **{f"asset_{laptop.pk}_note": "Cleaned the fan"})

    event = laptop.events.get(kind=AssetEventKind.NOTE)
    assert event.note == f"#{ticket.pk}: Cleaned the fan"
    assert reload(laptop).state == AssetState.IN_REPAIR


def test_leaving_the_asset_fields_empty_changes_nothing(alice_client, ticket, laptop):
    before = laptop.events.count()

    solve(alice_client, ticket)

    assert Ticket.objects.get(pk=ticket.pk).status == Status.SOLVED
    assert laptop.events.count() == before


def test_assigning_nobody_takes_the_asset_back(alice_client, alice, acme, bob, ticket):
    asset = make_asset(alice, acme, name="PH-1", kind="phone", user=bob)
    actions.link_ticket(ticket=ticket, asset=asset, actor=alice)

    solve(alice_client, ticket, **{f"asset_{asset.pk}_user": "0",
                                   f"asset_{asset.pk}_state": AssetState.IN_STOCK})  # fmt: skip

    asset = reload(asset)
    assert asset.user is None and asset.state == AssetState.IN_STOCK


def test_a_refused_asset_change_leaves_the_ticket_and_every_asset_unchanged(
    alice_client, alice, acme, ticket, laptop, monkeypatch
):
    second = make_asset(alice, acme, name="MON-7", kind="monitor")
    actions.link_ticket(ticket=ticket, asset=second, actor=alice)
    real = actions.update_asset

    def refusing(*, asset, **values):
        if asset.pk == second.pk:
            raise InvalidInput({"state": ["This state does not fit."]})
        return real(asset=asset, **values)

    monkeypatch.setattr(actions, "update_asset", refusing)
    changes = {
        f"asset_{laptop.pk}_state": AssetState.IN_USE,
        f"asset_{second.pk}_state": AssetState.RETIRED,
    }
    response = solve(alice_client, ticket, **changes)

    assert response.status_code == 422
    assert "This state does not fit." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).status != Status.SOLVED
    assert reload(laptop).state == AssetState.IN_REPAIR
    assert not laptop.events.filter(source=Source.TICKET, kind=AssetEventKind.STATE).exists()


def test_an_unknown_state_is_refused_before_anything_is_solved(alice_client, ticket, laptop):
    response = solve(alice_client, ticket, **{f"asset_{laptop.pk}_state": "melted"})

    assert response.status_code == 422
    assert Ticket.objects.get(pk=ticket.pk).status != Status.SOLVED


def test_a_user_of_another_organisation_cannot_be_assigned(alice_client, ticket, laptop, charlie):
    response = solve(alice_client, ticket, **{f"asset_{laptop.pk}_user": charlie.pk})

    assert response.status_code == 422
    assert reload(laptop).user is None
    assert Ticket.objects.get(pk=ticket.pk).status != Status.SOLVED


def test_outsiders_cannot_change_an_asset_through_a_ticket(dave_client, ticket, laptop):
    response = solve(dave_client, ticket, **{f"asset_{laptop.pk}_state": AssetState.RETIRED})

    assert response.status_code == 404
    assert reload(laptop).state == AssetState.IN_REPAIR


def test_the_ticket_page_with_assets_costs_a_fixed_number_of_queries(
    alice_client, alice, acme, bob, ticket, django_assert_max_num_queries
):
    first = make_asset(alice, acme, name="First")
    actions.link_ticket(ticket=ticket, asset=first, actor=alice)
    url = reverse("tickets:detail", args=[ticket.pk])
    with django_assert_max_num_queries(100) as one:
        alice_client.get(url)
    for i in range(8):
        asset = make_asset(alice, acme, name=f"Asset {i}", user=bob)
        actions.link_ticket(ticket=ticket, asset=asset, actor=alice)

    with django_assert_max_num_queries(len(one.captured_queries)):
        response = alice_client.get(url)

    assert response.content.decode().count("New state of") == 9
