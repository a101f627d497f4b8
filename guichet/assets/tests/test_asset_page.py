"""An asset's page through HTTP: its sections, parts, software, licences, contracts, tickets
and history; the note and review buttons; staff of another client get a 404."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.tests.factories import make_location
from guichet.assets import actions
from guichet.assets.actions.common import record
from guichet.assets.choices import AssetEventKind, Source
from guichet.assets.models import AssetEvent, Component, TicketAsset
from guichet.assets.tests import factories
from guichet.assets.tests.factories import make_asset, make_product, make_version
from guichet.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db


def url(name: str, asset, *args) -> str:
    return reverse(f"assets:{name}", args=[asset.pk, *args])


@pytest.fixture
def laptop(alice, acme, bob):
    return make_asset(alice, acme, name="PC-Compta", subtype="laptop", serial="CZC1234",
                      manufacturer="HP", model="EliteBook 840", user=bob, os_name="Windows 11",
                      memory_mb=16384, warranty_end=timezone.localdate() - timedelta(days=3),
                      location=make_location(acme, "Paris").pk)  # fmt: skip


def _add_parts(asset, count: int = 1):
    now = timezone.now()
    for n in range(count):
        Component.objects.create(asset=asset, kind="memories", identity=f"slot{n}",
                                 label=f"DIMM {n}", size=8192, first_seen=now)  # fmt: skip
        Component.objects.create(asset=asset, kind="cpus", identity=f"cpu{n}",
                                 label=f"Core i7 #{n}", size=2800, first_seen=now)  # fmt: skip


def _install(asset, names):
    now = timezone.now()
    for name in names:
        version = make_version(make_product(name, publisher="Pub"), "1.0")
        factories.install(asset, version, at=now)


def test_the_page_shows_every_section(alice_client, laptop):
    response = alice_client.get(url("detail", laptop))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Identification", "Organisation, location and user", "Lifecycle", "Purchase",
                 "Warranty", "Operating system", "Windows 11", "16384", "EliteBook 840",
                 "Bob Test", "Paris", "In this state since"):  # fmt: skip
        assert text in body, text
    assert re.search(r'id="warranty">.*?expired', body, re.S)
    assert "IMEI" not in body  # a computer has no phone fields


def test_a_phone_shows_its_phone_fields_and_no_operating_system(alice_client, alice, acme):
    phone = make_asset(alice, acme, name="Accueil", kind="phone", subtype="mobile",
                       imei="356938035643809", extension="204")  # fmt: skip
    body = alice_client.get(url("detail", phone)).content.decode()
    assert "356938035643809" in body and "Extension" in body
    assert "Operating system" not in body


def test_custom_fields_are_listed(alice_client, alice, acme):
    thing = make_asset(alice, acme, name="Badge reader", kind="other",
                       custom_fields={"Firmware": "2.4", "Door": "North"})  # fmt: skip
    body = alice_client.get(url("detail", thing)).content.decode()
    assert "<dt>Firmware</dt><dd>2.4</dd>" in body
    assert "under warranty" not in body and "expired" not in body


def test_components_are_grouped_by_kind_with_their_units(alice_client, laptop):
    _add_parts(laptop, 2)
    body = alice_client.get(url("detail", laptop)).content.decode()
    processors, memory = body.index("Processor <span"), body.index("Memory <span")
    assert processors < memory  # the inventory's order
    assert "8192 MB" in body and "2800 MHz" in body and "DIMM 1" in body


def test_installed_software_is_capped_with_a_count_and_searchable(alice_client, laptop):
    _install(laptop, [f"Program {n:03}" for n in range(105)] + ["Firefox"])
    body = alice_client.get(url("detail", laptop)).content.decode()
    assert "106 programs installed." in body
    assert "The first 100 by name are shown" in body
    assert "Program 099" not in body  # "Firefox" sorts first, so 099 falls off
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "asset-software"}
    response = alice_client.get(url("detail", laptop), {"software": "fire"}, **htmx)
    part = response.content.decode()
    assert "1 program matches “fire”." in part
    assert "Firefox" in part and "Program 001" not in part and "<h1>" not in part


def test_licences_and_contracts_of_the_asset_are_shown(alice_client, alice, acme, laptop):
    licence = actions.create_licence(actor=alice, product=make_product("Office"),
                                     organisation=acme, name="Office 2024", kind="per_device",
                                     seats=5)  # fmt: skip
    actions.assign_licence(licence=licence, actor=alice, asset=laptop)
    contract = actions.create_contract(actor=alice, organisation=acme, kind="maintenance",
                                       name="HP Care Pack", number="CP-9",
                                       starts_on="2024-01-01", ends_on="2024-12-31")  # fmt: skip
    actions.set_contract_assets(contract=contract, actor=alice, assets=[laptop])
    body = alice_client.get(url("detail", laptop)).content.decode()
    assert "Office 2024" in body and "Per device" in body
    assert "HP Care Pack" in body and "CP-9" in body and "ended</span>" in body


def test_only_tickets_the_viewer_may_open_are_listed(alice_client, root, bob, charlie, laptop):
    seen = make_ticket(bob, title="Screen flickers")
    actions.link_ticket(ticket=seen, asset=laptop, actor=root)
    # A link left from before its ticket moved to another client, which alice does not serve.
    hidden = make_ticket(charlie, title="Secret ticket")
    TicketAsset.objects.create(ticket=hidden, asset=laptop, created_at=timezone.now())
    record(laptop, root, AssetEventKind.TICKET, source=Source.TICKET, at=timezone.now(),
           new=f"#{hidden.pk}")  # fmt: skip
    body = alice_client.get(url("detail", laptop)).content.decode()
    assert "Screen flickers" in body and f"#{seen.pk}" in body
    assert "Secret ticket" not in body
    # Nor does the history name it.
    assert f'href="/tickets/{hidden.pk}/"' not in body


def test_the_history_says_who_when_where_and_what(alice_client, alice, laptop):
    actions.update_asset(asset=laptop, actor=alice, state="in_repair", note="Sent to HP")
    record(laptop, None, AssetEventKind.COMPONENT_ADDED, source=Source.AGENT,
           at=timezone.now(), field="storages", new="SSD 512 GB")  # fmt: skip
    body = alice_client.get(url("detail", laptop)).content.decode()
    history = body[body.index('id="h-history"') :]
    assert "State changed" in history
    assert "<del>In use</del> → <ins>In repair</ins>" in history
    assert "Sent to HP" in history and "Alice Test" in history and "Web interface" in history
    assert "Inventory agent" in history and "Disk: <del>—</del> → <ins>SSD 512 GB</ins>" in history
    # Newest first.
    assert history.index("Component added") < history.index("State changed")


def test_flagged_changes_are_highlighted_and_can_be_marked_as_reviewed(alice_client, alice,
                                                                       laptop):  # fmt: skip
    event = record(laptop, None, AssetEventKind.COMPONENT_REMOVED, source=Source.AGENT,
                   at=timezone.now(), field="memories", old="DIMM 8 GB", flagged=True)  # fmt: skip
    body = alice_client.get(url("detail", laptop)).content.decode()
    assert "1 component change needs a look" in body
    assert f'class="flagged unreviewed" id="event-{event.pk}"' in body
    assert "Needs review" in body

    response = alice_client.post(url("review-flags", laptop))
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.reviewed_by == alice
    body = alice_client.get(url("detail", laptop)).content.decode()
    assert "needs a look" not in body and "Reviewed by Alice Test" in body


def test_a_note_is_added_to_the_history(alice_client, laptop):
    response = alice_client.post(url("add-note", laptop), {"text": "Keyboard replaced."})
    assert response.status_code == 302
    note = AssetEvent.objects.get(kind=AssetEventKind.NOTE)
    assert (note.note, note.asset_id) == ("Keyboard replaced.", laptop.pk)


def test_an_empty_note_is_refused_beside_its_field(alice_client, laptop):
    response = alice_client.post(url("add-note", laptop), {"text": "  "})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-describedby="note-text_error"' in body and 'id="note-text_error"' in body
    assert not AssetEvent.objects.filter(kind=AssetEventKind.NOTE).exists()


def test_the_whole_history_pages_through_older_changes(alice_client, alice, laptop):
    for n in range(60):
        actions.add_note(asset=laptop, actor=alice, text=f"Note {n:02}")
    body = alice_client.get(url("detail", laptop)).content.decode()
    assert "Note 59" in body and "Note 09" not in body
    older = re.search(r'href="(/assets/\d+/history/\?cursor=[^"]+)"', body).group(1)
    page = alice_client.get(older).content.decode()
    assert "Note 09" in page and "Note 59" not in page and "Created" in page
    assert alice_client.get(url("history", laptop), {"cursor": "bad"}).status_code == 404


def _pages(asset) -> list[str]:
    return [url("detail", asset), url("edit", asset), url("history", asset)]


def _posts(asset) -> list[str]:
    return [url("edit", asset), url("add-note", asset), url("review-flags", asset),
            url("attachment-add", asset)]  # fmt: skip


@pytest.mark.parametrize("who", ["dave_client", "charlie_client", "bob_client"])
def test_outsiders_and_requesters_get_a_404_everywhere(request, who, laptop):
    client = request.getfixturevalue(who)
    for page in _pages(laptop):
        assert client.get(page).status_code == 404, page
    for page in _posts(laptop):
        assert client.post(page, {"text": "x", "name": "stolen"}).status_code == 404, page
    assert laptop.events.count() == 1


def test_the_page_costs_the_same_queries_however_much_it_shows(
    alice_client, alice, root, bob, laptop, django_assert_max_num_queries
):
    _add_parts(laptop, 20)
    _install(laptop, [f"Program {n}" for n in range(40)])
    for n in range(30):
        actions.add_note(asset=laptop, actor=alice, text=f"Note {n}")
        record(laptop, None, AssetEventKind.COMPONENT_CHANGED, source=Source.AGENT,
               at=timezone.now(), field="storages", old="a", new="b", flagged=True)  # fmt: skip
    for n in range(5):
        actions.link_ticket(ticket=make_ticket(bob, title=f"T{n}"), asset=laptop, actor=root)
    alice_client.get(url("detail", laptop))
    with django_assert_max_num_queries(20):
        response = alice_client.get(url("detail", laptop))
    assert response.status_code == 200
