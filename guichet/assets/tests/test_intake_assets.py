"""Phone intake: the caller's assets, and the ticket opened linked to the one ticked."""

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import make_user
from guichet.assets.choices import AssetState
from guichet.assets.models import TicketAsset
from guichet.assets.tests.factories import make_asset
from guichet.tickets.models import Ticket


def assets_of(caller) -> str:
    return reverse("assets:intake-assets", args=[caller.pk])


def call_about(caller, **fields):
    data = {"requester": caller.pk, "type": "incident", "impact": 3, "urgency": 3,
            "title": "Laptop screen is black", "description": ""}  # fmt: skip
    return {**data, **fields}


@pytest.fixture
def bobs_laptop(alice, acme, bob):
    return make_asset(alice, acme, name="ZZ-BOB-LAPTOP", user=bob, serial="SN-B1")


def test_it_lists_the_callers_assets_first_then_the_organisations(
    alice_client, alice, acme, bob, dave, globex, charlie, bobs_laptop
):
    make_asset(alice, acme, name="AA-MEETING-ROOM-SCREEN", kind="monitor")
    make_asset(alice, acme, name="AA-OLD-PC", state=AssetState.DISPOSED)
    make_asset(dave, globex, name="GLOBEX-PC", user=charlie)

    response = alice_client.get(assets_of(bob))

    html = response.content.decode()
    assert response.status_code == 200
    assert "The caller&#x27;s assets" in html or "The caller's assets" in html
    assert html.index("ZZ-BOB-LAPTOP") < html.index("AA-MEETING-ROOM-SCREEN")
    assert "Assigned to the caller" in html and "SN-B1" in html
    assert "AA-OLD-PC" not in html  # no longer in service
    assert "GLOBEX-PC" not in html
    assert f'value="{bobs_laptop.pk}" form="intake-form"' in html


def test_the_caller_card_loads_the_assets(alice_client, bob):
    card = alice_client.get(reverse("tickets:intake-caller", args=[bob.pk])).content.decode()
    page = alice_client.get(reverse("tickets:intake"), {"caller": bob.pk}).content.decode()

    assert f'hx-get="{assets_of(bob)}"' in card
    assert f'hx-get="{assets_of(bob)}"' in page


def test_the_ticked_asset_is_kept_when_the_form_comes_back_with_errors(
    alice_client, bob, bobs_laptop
):
    response = alice_client.post(
        reverse("tickets:intake"), call_about(bob, title="", asset=bobs_laptop.pk)
    )
    ticked = alice_client.get(assets_of(bob), {"asset": bobs_laptop.pk}).content.decode()

    assert response.status_code == 400
    assert f"{assets_of(bob)}?asset={bobs_laptop.pk}" in response.content.decode()
    assert f'value="{bobs_laptop.pk}" form="intake-form" checked' in ticked


def test_the_ticket_opened_is_linked_to_the_ticked_asset(alice_client, alice, bob, bobs_laptop):
    response = alice_client.post(reverse("tickets:intake"), call_about(bob, asset=bobs_laptop.pk))

    ticket = Ticket.objects.get()
    assert response.status_code == 302
    link = TicketAsset.objects.get()
    assert (link.ticket, link.asset, link.linked_by) == (ticket, bobs_laptop, alice)


def test_no_asset_ticked_links_nothing(alice_client, bob, bobs_laptop):
    alice_client.post(reverse("tickets:intake"), call_about(bob, asset=""))

    assert Ticket.objects.count() == 1
    assert not TicketAsset.objects.exists()


def test_another_organisations_asset_is_not_linked_but_the_ticket_stands(
    alice_client, bob, dave, globex, charlie
):
    foreign = make_asset(dave, globex, name="GLOBEX-PC", user=charlie)

    response = alice_client.post(
        reverse("tickets:intake"), call_about(bob, asset=foreign.pk), follow=True
    )

    assert Ticket.objects.count() == 1
    assert not TicketAsset.objects.exists()
    html = response.content.decode()
    assert "The ticket was not linked to the asset: Unknown asset." in html
    assert "GLOBEX-PC" not in html


def test_outsiders_see_no_callers_assets(dave_client, bob_client, charlie_client, bob, bobs_laptop):
    for client in (dave_client, bob_client, charlie_client):
        response = client.get(assets_of(bob))
        assert response.status_code == 404
        assert b"ZZ-BOB-LAPTOP" not in response.content


def test_the_list_is_capped_and_costs_a_fixed_number_of_queries(
    alice_client, alice, acme, bob, django_assert_max_num_queries
):
    make_asset(alice, acme, name="Mine", user=bob)
    with django_assert_max_num_queries(100) as few:
        alice_client.get(assets_of(bob))
    for i in range(20):
        make_asset(alice, acme, name=f"Shared {i:02}", user=make_user(f"u{i}", organisation=acme))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = alice_client.get(assets_of(bob))

    html = response.content.decode()
    assert html.count('name="asset"') == 16  # "no asset in particular" and fifteen assets
    assert "Only the first 15 assets are listed." in html
