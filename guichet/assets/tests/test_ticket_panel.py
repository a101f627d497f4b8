"""The ticket page's assets panel: what it shows, to whom, and linking and unlinking."""

import pytest
from django.urls import reverse

from guichet.assets import actions
from guichet.assets.choices import AssetEventKind, Source
from guichet.assets.models import TicketAsset
from guichet.assets.tests.factories import make_asset, reload
from guichet.tickets.tests.factories import make_ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


def panel(pk: int) -> str:
    return reverse("assets:ticket-panel", args=[pk])


def link_url(pk: int) -> str:
    return reverse("assets:ticket-link", args=[pk])


@pytest.fixture
def ticket(bob):
    return make_ticket(bob, title="Screen flickers")


@pytest.fixture
def laptop(alice, acme, bob):
    return make_asset(alice, acme, name="LT-0007", kind="computer", subtype="laptop",
                      serial="5CG1234XYZ", model="EliteBook 840", manufacturer="HP",
                      os_name="Windows 11", os_version="23H2", user=bob,
                      warranty_end="2020-01-31")  # fmt: skip


def test_it_shows_the_linked_asset_with_its_details_history_and_other_tickets(
    alice_client, alice, bob, ticket, laptop
):
    actions.link_ticket(ticket=ticket, asset=laptop, actor=alice)
    earlier = make_ticket(bob, title="Battery swollen")
    actions.link_ticket(ticket=earlier, asset=laptop, actor=alice)

    response = alice_client.get(panel(ticket.pk))

    html = response.content.decode()
    assert response.status_code == 200
    for text in ("LT-0007", "Laptop", "HP EliteBook 840", "5CG1234XYZ", "Windows 11 23H2",
                 bob.display_name, "In use", "expired"):  # fmt: skip
        assert text in html, text
    assert reverse("assets:detail", args=[laptop.pk]) in html
    assert "Battery swollen" in html and f"#{earlier.pk}" in html
    assert "Ticket linked" in html  # its latest history
    assert html.count("Screen flickers") == 0  # the ticket itself is not among the others


def test_other_tickets_the_viewer_may_not_see_are_not_listed(
    alice_client, alice, dave, root, acme, globex, charlie, ticket
):
    # The machine served Globex first; the Globex desk's ticket about it stays theirs after
    # the machine moved to Acme.
    machine = make_asset(dave, globex, name="MOVED-01")
    hidden = make_ticket(charlie, title="Private matter")
    actions.link_ticket(ticket=hidden, asset=machine, actor=dave)
    actions.update_asset(asset=machine, actor=root, organisation=acme)
    actions.link_ticket(ticket=ticket, asset=reload(machine), actor=alice)

    html = alice_client.get(panel(ticket.pk)).content.decode()

    assert "MOVED-01" in html
    assert "Private matter" not in html
    assert reverse("tickets:detail", args=[hidden.pk]) not in html
    assert "No other ticket you can see." in html
    # What root may see is listed: the check above is not vacuous.
    assert "Private matter" in _as(root).get(panel(ticket.pk)).content.decode()


def _as(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_newest_other_tickets_come_first_and_are_capped(
    alice_client, alice, bob, ticket, laptop
):
    actions.link_ticket(ticket=ticket, asset=laptop, actor=alice)
    others = [make_ticket(bob, title=f"Old issue {i}") for i in range(7)]
    for other in others:
        actions.link_ticket(ticket=other, asset=laptop, actor=alice)

    html = alice_client.get(panel(ticket.pk)).content.decode()

    shown = [i for i in range(7) if f"Old issue {i}<" in html]
    assert shown == [2, 3, 4, 5, 6]
    assert html.index("Old issue 6") < html.index("Old issue 2")
    assert "See all 7 tickets" in html


def test_the_link_list_offers_the_requesters_assets_first(alice_client, alice, acme, bob, ticket):
    make_asset(alice, acme, name="AAA-shared-printer", kind="printer")
    make_asset(alice, acme, name="ZZZ-bobs-phone", kind="phone", user=bob)

    html = alice_client.get(panel(ticket.pk)).content.decode()

    assert "The requester&#x27;s assets" in html or "The requester's assets" in html
    assert html.index("ZZZ-bobs-phone") < html.index("AAA-shared-printer")


def test_linking_from_the_list_and_unlinking(alice_client, alice, ticket, laptop):
    linked = alice_client.post(link_url(ticket.pk), {"asset": laptop.pk}, **HTMX)

    assert linked.status_code == 200
    assert "The ticket is linked to LT-0007." in linked.content.decode()
    assert TicketAsset.objects.filter(ticket=ticket, asset=laptop).exists()
    unlink = reverse("assets:ticket-unlink", args=[ticket.pk, laptop.pk])
    unlinked = alice_client.post(unlink, **HTMX)
    assert unlinked.status_code == 200
    assert not TicketAsset.objects.filter(ticket=ticket).exists()
    kinds = list(laptop.events.filter(kind=AssetEventKind.TICKET).values_list("source", flat=True))
    assert kinds == [Source.TICKET, Source.TICKET]


def test_linking_by_serial_without_javascript_goes_back_to_the_ticket(alice_client, ticket, laptop):
    response = alice_client.post(link_url(ticket.pk), {"query": "5cg1234xyz"})

    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert TicketAsset.objects.filter(ticket=ticket, asset=laptop).exists()


def test_a_search_matching_several_assets_asks_to_choose(alice_client, alice, acme, ticket):
    make_asset(alice, acme, name="PC-ACCUEIL-1")
    make_asset(alice, acme, name="PC-ACCUEIL-2")

    response = alice_client.post(link_url(ticket.pk), {"query": "accueil"}, **HTMX)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Several assets match" in html
    assert 'aria-describedby="id_asset_link_query_error"' in html
    assert not TicketAsset.objects.exists()


def test_linking_another_organisations_asset_is_refused(
    alice_client, alice, dave, root, globex, charlie, ticket
):
    foreign = make_asset(dave, globex, name="GLX-01", user=charlie)

    by_alice = alice_client.post(link_url(ticket.pk), {"asset": foreign.pk}, **HTMX)
    by_root = _as(root).post(link_url(ticket.pk), {"asset": foreign.pk}, **HTMX)

    assert by_alice.status_code == 400 and "Unknown asset." in by_alice.content.decode()
    assert by_root.status_code == 400
    assert "The asset belongs to another organisation." in by_root.content.decode()
    assert "GLX-01" not in by_alice.content.decode()
    assert not TicketAsset.objects.exists()


def test_outsiders_get_nothing(dave_client, charlie_client, bob_client, alice, ticket, laptop):
    actions.link_ticket(ticket=ticket, asset=laptop, actor=alice)
    unlink = reverse("assets:ticket-unlink", args=[ticket.pk, laptop.pk])

    for client in (dave_client, charlie_client, bob_client):
        assert client.get(panel(ticket.pk)).status_code == 404
        assert client.post(link_url(ticket.pk), {"asset": laptop.pk}).status_code == 404
        assert client.post(unlink).status_code == 404
    assert TicketAsset.objects.filter(ticket=ticket).count() == 1


def test_the_staff_ticket_page_loads_the_panel_and_the_portal_page_does_not(
    alice_client, bob_client, ticket
):
    staff = alice_client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    portal = bob_client.get(reverse("portal:detail", args=[ticket.pk])).content.decode()

    assert f'hx-get="{panel(ticket.pk)}"' in staff
    assert panel(ticket.pk) not in portal


def test_the_panel_costs_the_same_queries_for_many_assets(
    alice_client, alice, acme, bob, ticket, django_assert_max_num_queries
):
    first = make_asset(alice, acme, name="Only one", user=bob)
    actions.link_ticket(ticket=ticket, asset=first, actor=alice)
    with django_assert_max_num_queries(100) as one:
        alice_client.get(panel(ticket.pk))
    for i in range(6):
        asset = make_asset(alice, acme, name=f"Asset {i}", user=bob)
        actions.link_ticket(ticket=ticket, asset=asset, actor=alice)
        for j in range(4):
            other = make_ticket(bob, title=f"Other {i}-{j}")
            actions.link_ticket(ticket=other, asset=asset, actor=alice)
            actions.add_note(asset=asset, actor=alice, text=f"Note {j}")

    with django_assert_max_num_queries(len(one.captured_queries)) as many:
        response = alice_client.get(panel(ticket.pk))

    assert response.content.decode().count('class="ticket-asset"') == 7
    assert len(many.captured_queries) <= 12
