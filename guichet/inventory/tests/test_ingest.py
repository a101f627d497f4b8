import pytest
from django.utils import translation

from guichet.assets.choices import AssetEventKind, Source
from guichet.assets.models import Asset, AssetEvent, Component, Installation
from guichet.inventory import actions
from guichet.inventory.choices import ConflictStatus
from guichet.inventory.models import Agent, Conflict, ReconciliationRule
from guichet.inventory.tests.factories import machine
from guichet.lib.errors import InvalidInput


def ingest(inventory, organisation):
    return actions.ingest(inventory=inventory, organisation=organisation)


def test_a_first_inventory_creates_the_machine_with_its_parts_and_software(acme):
    result = ingest(machine(), acme)
    asset = result.asset
    assert result.created
    assert (asset.name, asset.serial, asset.organisation) == ("PC-0412", "CZC1234XYZ", acme)
    assert (asset.subtype, asset.os_name, asset.manufacturer.name) == (
        "desktop",
        "Windows 11 Pro",
        "Dell Inc.",
    )
    assert asset.components.count() == 6
    assert sorted(asset.installations.values_list("product__name", flat=True)) == [
        "7-Zip",
        "Mozilla Firefox",
    ]
    assert Agent.objects.get().asset == asset
    kinds = set(asset.events.values_list("kind", flat=True))
    assert kinds == {AssetEventKind.CREATED, AssetEventKind.INVENTORY}
    assert set(asset.events.values_list("source", flat=True)) == {Source.AGENT}
    first = asset.events.get(kind=AssetEventKind.INVENTORY)
    with translation.override("fr"):
        assert first.note_text() == "Premier inventaire\u00a0: 6 composants, 2 logiciels."


def test_an_unchanged_re_inventory_changes_nothing(acme, django_assert_max_num_queries):
    ingest(machine(), acme)
    events = AssetEvent.objects.count()
    with django_assert_max_num_queries(8):
        result = ingest(machine(), acme)
    assert not result.created and result.changes.sections == []
    assert AssetEvent.objects.count() == events
    assert Asset.objects.count() == 1


def test_a_renamed_machine_is_the_same_asset(acme):
    first = ingest(machine(), acme).asset
    again = ingest(machine(device_id="reinstalled-agent", name="COMPTA-01"), acme).asset
    assert again.pk == first.pk
    assert Asset.objects.get().name == "COMPTA-01"
    assert AssetEvent.objects.filter(field="name", old_value="PC-0412",
                                     new_value="COMPTA-01").exists()  # fmt: skip


def test_virtual_machines_without_serial_or_uuid_are_recognised_by_mac(acme):
    vm = {"serial": "", "uuid": "00000000-0000-0000-0000-000000000000", "name": "vm-web"}
    first = ingest(machine("vm-1", **vm), acme).asset
    again = ingest(machine("vm-1-reinstalled", **{**vm, "name": "vm-web-2"}), acme).asset
    assert first.pk == again.pk
    assert Asset.objects.count() == 1


def test_containers_with_no_identity_but_their_name_are_recognised_by_name(acme):
    bare = {"serial": "", "uuid": "", "mac": "00:00:00:00:00:00", "name": "ct-db"}
    inventory = machine("ct-1", **bare)
    inventory.parts = [p for p in inventory.parts if p.kind != "networks"]
    first = ingest(inventory, acme).asset
    other = machine("ct-1b", **bare)
    other.parts = [p for p in other.parts if p.kind != "networks"]
    assert ingest(other, acme).asset.pk == first.pk


def test_a_new_machine_taking_an_old_ones_name_is_a_new_asset(acme):
    old = ingest(machine("old", mac="a4:bb:6d:00:00:01"), acme).asset
    new = ingest(machine("new", serial="NEWSERIAL1", uuid="", mac="a4:bb:6d:00:00:02"), acme)
    assert new.created and new.asset.pk != old.pk


def test_two_assets_with_one_serial_are_a_conflict_not_a_merge(alice, acme):
    from guichet.assets.tests.factories import make_asset

    make_asset(alice, acme, name="A", serial="CZC1234XYZ")
    make_asset(alice, acme, name="B", serial="CZC1234XYZ")
    result = ingest(machine(uuid=""), acme)
    assert result.asset is None
    conflict = Conflict.objects.get()
    assert conflict.status == ConflictStatus.OPEN and conflict.candidates.count() == 2
    assert Asset.objects.count() == 2
    ingest(machine(uuid=""), acme)
    assert Conflict.objects.count() == 1  # one open conflict per agent, kept up to date


def test_a_match_in_another_organisation_is_a_conflict(alice, dave, acme, globex):
    first = ingest(machine(), globex).asset
    Agent.objects.all().delete()
    result = ingest(machine("moved"), acme)
    assert result.conflict is not None
    assert Asset.objects.get().organisation == globex == first.organisation


def test_resolving_a_conflict_applies_the_kept_inventory(sam, acme, alice):
    from guichet.assets.tests.factories import make_asset

    a = make_asset(alice, acme, name="A", serial="CZC1234XYZ")
    make_asset(alice, acme, name="B", serial="CZC1234XYZ")
    conflict = ingest(machine(uuid=""), acme).conflict
    asset = actions.resolve_conflict(conflict=conflict, actor=sam, asset=a)
    assert asset.components.count() == 6 and asset.name == "PC-0412"
    assert Agent.objects.get().asset == a
    with pytest.raises(InvalidInput):
        actions.resolve_conflict(conflict=conflict, actor=sam, asset=a)
    assert ingest(machine(uuid=""), acme).asset.pk == a.pk  # the agent now knows its asset


def test_outsiders_cannot_resolve_conflicts(dave, alice, acme, globex_team):
    from guichet.accounts.choices import Role
    from guichet.assets.tests.factories import make_asset

    make_asset(alice, acme, name="A", serial="CZC1234XYZ")
    make_asset(alice, acme, name="B", serial="CZC1234XYZ")
    conflict = ingest(machine(uuid=""), acme).conflict
    dave.role = Role.SUPERVISOR
    dave.save()
    with pytest.raises(InvalidInput):
        actions.resolve_conflict(conflict=conflict, actor=dave)
    assert Asset.objects.count() == 2


def test_component_changes_are_recorded_and_flagged(acme):
    ingest(machine(), acme)
    ingest(machine(memory=[("slot1", 8192)]), acme)
    event = AssetEvent.objects.get(kind=AssetEventKind.COMPONENT_REMOVED)
    assert event.flagged and event.field == "memories" and "8192" in event.old_value
    assert Component.objects.filter(kind="memories").count() == 1


def test_software_changes_are_one_event_naming_updates(acme):
    ingest(machine(), acme)
    ingest(machine(softwares=[("Mozilla Firefox (x64 fr)", "121.0"), ("VLC media player", "3.0")]),
           acme)  # fmt: skip
    event = AssetEvent.objects.get(kind=AssetEventKind.SOFTWARE)
    with translation.override("en"):
        note = event.note_text()
    assert "Updated: Mozilla Firefox 120.0 → Mozilla Firefox 121.0" in note
    assert "Installed: VLC media player 3.0" in note and "Removed: 7-Zip 23.01" in note
    # Stored as facts, worded in each reader's language.
    assert event.note == "" and event.details["installed"] == {
        "names": ["VLC media player 3.0"],
        "total": 1,
    }
    with translation.override("fr"):
        assert "Installés\u00a0: VLC media player 3.0" in event.note_text()
    assert Installation.objects.count() == 2


def test_a_long_software_change_names_the_first_forty(acme):
    ingest(machine(), acme)
    many = [(f"Program {n:03d}", "1.0") for n in range(45)]
    ingest(machine(softwares=many), acme)
    with translation.override("en"):
        note = AssetEvent.objects.get(kind=AssetEventKind.SOFTWARE).note_text()
    assert "Program 039 1.0 and 5 more" in note and "Program 040" not in note


def test_an_incomplete_full_inventory_is_flagged_and_deletes_nothing(acme):
    ingest(machine(), acme)
    result = ingest(machine(sections={"hardware", "cpus", "networks", "volumes"}), acme)
    assert result.changes.incomplete == ["memories", "softwares", "storages"]
    assert Installation.objects.count() == 2
    assert Component.objects.filter(kind="memories").count() == 2
    event = AssetEvent.objects.get(kind=AssetEventKind.INCOMPLETE)
    assert event.flagged
    with translation.override("en"):
        assert event.note_text() == (
            "Sections missing from this full inventory, kept as they were: "
            "memories, softwares, storages"
        )


def test_a_partial_inventory_touches_only_what_it_sends(acme):
    ingest(machine(), acme)
    partial = machine(sections={"softwares"}, partial=True, softwares=[("Zoom", "6.0")])
    result = ingest(partial, acme)
    assert result.changes.incomplete == []
    assert list(Installation.objects.values_list("product__name", flat=True)) == ["Zoom"]
    assert Component.objects.count() == 6


def test_free_space_is_refreshed_without_an_event(acme):
    ingest(machine(), acme)
    events = AssetEvent.objects.count()
    ingest(machine(free=1_000), acme)
    assert Component.objects.get(kind="volumes").free == 1_000
    assert AssetEvent.objects.count() == events


def test_tag_rules_route_agents_without_a_key(sam, acme):
    location = acme.locations.create(name="Paris")
    actions.add_tag_rule(actor=sam, pattern="ACME-*", organisation=acme, location=location)
    asset = actions.ingest(inventory=machine(tag="acme-paris")).asset
    assert (asset.organisation, asset.location) == (acme, location)


def test_an_agent_tied_to_no_organisation_is_refused(db):
    with pytest.raises(actions.Refused):
        actions.ingest(inventory=machine())
    assert not Asset.objects.exists()


def test_rules_can_be_reordered_and_switched_off(sam, acme):
    actions.set_rules(actor=sam, order=["name", "mac", "serial", "uuid_serial"], active={"name"})
    rules = list(ReconciliationRule.objects.order_by("position").values_list("criterion", "active"))
    assert rules[0] == ("name", True) and not any(active for _, active in rules[1:])
    first = ingest(machine(), acme).asset
    Agent.objects.all().delete()
    assert ingest(machine("x", name="OTHER"), acme).asset.pk != first.pk  # serial rule is off
