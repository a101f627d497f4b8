from datetime import date

import pytest

from guichet.assets import actions
from guichet.assets.choices import AssetEventKind, AssetState, Source
from guichet.assets.models import Asset, AssetEvent
from guichet.assets.tests.factories import make_asset, make_product, reload
from guichet.lib.errors import Conflict, Forbidden, InvalidInput


def test_creating_an_asset_records_who_created_it(alice, acme):
    asset = make_asset(alice, acme, serial="CZC1234", manufacturer="HP", subtype="desktop")
    assert asset.manufacturer.name == "HP"
    event = asset.events.get()
    assert (event.kind, event.actor, event.source) == (AssetEventKind.CREATED, alice, Source.UI)


def test_manufacturers_are_matched_whatever_their_case(alice, acme):
    first = make_asset(alice, acme, manufacturer="Lenovo")
    second = make_asset(alice, acme, name="PC-2", manufacturer="lenovo")
    assert first.manufacturer_id == second.manufacturer_id


def test_requesters_cannot_create_assets(bob, acme):
    with pytest.raises(Forbidden):
        make_asset(bob, acme)


def test_staff_cannot_create_assets_for_an_organisation_they_do_not_serve(alice, globex):
    with pytest.raises(InvalidInput) as raised:
        make_asset(alice, globex)
    assert "organisation" in raised.value.errors
    assert not Asset.objects.exists()


def test_every_changed_field_is_one_event_and_state_changes_are_dated(alice, acme):
    asset = make_asset(alice, acme)
    changed = actions.update_asset(
        asset=asset, actor=alice, name="PC-0413", state=AssetState.IN_REPAIR, notes=""
    )
    assert set(changed) == {"name", "state", "state_since"}
    kinds = list(asset.events.order_by("id").values_list("kind", "field", "old_value", "new_value"))
    assert kinds[1:] == [
        (AssetEventKind.CHANGED, "name", "PC-0412", "PC-0413"),
        (AssetEventKind.STATE, "state", "in_use", "in_repair"),
    ]


def test_bad_values_name_their_field_and_change_nothing(alice, acme):
    asset = make_asset(alice, acme)
    with pytest.raises(InvalidInput) as raised:
        actions.update_asset(
            asset=asset,
            actor=alice,
            name="ok",
            state="melted",
            purchase_date="2024-13-45",
            subtype="tablet",
        )
    assert set(raised.value.errors) == {"state", "purchase_date", "subtype"}
    assert reload(asset).name == "PC-0412"
    assert asset.events.count() == 1


def test_inventory_numbers_are_unique(alice, acme):
    make_asset(alice, acme, inventory_number="INV-1")
    with pytest.raises(InvalidInput) as raised:
        make_asset(alice, acme, name="other", inventory_number="INV-1")
    assert "inventory_number" in raised.value.errors


def test_a_location_must_be_a_site_of_the_organisation(alice, acme, globex):
    elsewhere = globex.locations.create(name="Lyon")
    with pytest.raises(InvalidInput) as raised:
        make_asset(alice, acme, location=elsewhere.pk)
    assert "location" in raised.value.errors


def test_the_assigned_user_belongs_to_the_organisation(alice, acme, bob, charlie):
    asset = make_asset(alice, acme, user=bob)
    assert asset.user == bob
    with pytest.raises(InvalidInput):
        actions.update_asset(asset=asset, actor=alice, user=charlie.pk)


def test_bulk_update_is_all_or_nothing(alice, acme):
    one = make_asset(alice, acme, name="A", inventory_number="INV-9")
    two = make_asset(alice, acme, name="B")
    with pytest.raises(InvalidInput):
        actions.bulk_update(actor=alice, assets=[two, one], inventory_number="INV-9")
    assert actions.bulk_update(actor=alice, assets=[one, two], state=AssetState.IN_STOCK) == 2
    assert set(Asset.objects.values_list("state", flat=True)) == {"in_stock"}


def test_a_ticket_links_to_an_asset_of_its_organisation_once(alice, acme, bob):
    from guichet.tickets.tests.factories import make_ticket

    ticket = make_ticket(requester=bob)
    asset = make_asset(alice, acme)
    assert actions.link_ticket(ticket=ticket, asset=asset, actor=alice)
    assert not actions.link_ticket(ticket=ticket, asset=asset, actor=alice)
    assert asset.events.filter(kind=AssetEventKind.TICKET).count() == 1


def test_licence_keys_are_encrypted_and_read_by_supervisors_only(alice, sam, acme):
    product = make_product()
    licence = actions.create_licence(
        actor=sam,
        product=product,
        organisation=acme,
        name="LO",
        kind="per_device",
        seats=2,
        key="ABCD-EFGH",
    )
    assert "ABCD" not in licence.key_encrypted
    assert actions.read_key(licence=licence, actor=sam) == "ABCD-EFGH"
    with pytest.raises(Forbidden):
        actions.read_key(licence=licence, actor=alice)
    with pytest.raises(InvalidInput):
        actions.update_licence(licence=licence, actor=alice, key="stolen")


def test_a_licence_has_no_more_seats_than_bought(alice, acme):
    licence = actions.create_licence(
        actor=alice,
        product=make_product(),
        organisation=acme,
        name="LO",
        kind="per_device",
        seats=1,
    )
    actions.assign_licence(licence=licence, actor=alice, asset=make_asset(alice, acme))
    with pytest.raises(Conflict):
        actions.assign_licence(
            licence=licence, actor=alice, asset=make_asset(alice, acme, name="B")
        )


def test_contract_dates_are_checked(alice, acme):
    with pytest.raises(InvalidInput) as raised:
        actions.create_contract(
            actor=alice,
            organisation=acme,
            kind="maintenance",
            name="M",
            starts_on=date(2026, 1, 1),
            ends_on=date(2025, 1, 1),
        )
    assert "ends_on" in raised.value.errors
    contract = actions.create_contract(
        actor=alice,
        organisation=acme,
        kind="maintenance",
        name="M",
        starts_on="2026-01-01",
        ends_on="2027-01-01",
    )
    asset = make_asset(alice, acme)
    actions.set_contract_assets(contract=contract, actor=alice, assets=[asset])
    assert list(contract.assets.all()) == [asset]
    assert AssetEvent.objects.filter(kind=AssetEventKind.CONTRACT).count() == 1
