"""The conflicts screen through HTTP: the kept inventory beside its candidates, and the three
buttons, each all or nothing; a supervisor of another client neither sees Acme's conflicts
nor resolves them by posting their id."""

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.accounts.choices import Role
from guichet.assets.models import Asset
from guichet.assets.tests.factories import make_asset
from guichet.inventory import actions
from guichet.inventory.choices import (
    DEFAULT_RULES,
    ConflictReason,
    ConflictResolution,
    ConflictStatus,
    Criterion,
)
from guichet.inventory.models import Agent, Conflict, ReconciliationRule
from guichet.inventory.tests.factories import machine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rules(db):
    for position, criterion in enumerate(DEFAULT_RULES, start=1):
        ReconciliationRule.objects.get_or_create(criterion=criterion,
                                                 defaults={"position": position * 10})  # fmt: skip


def make_conflict(actor, organisation, *, device_id="pc-0412-2026-01-01", serial="CZC1234XYZ",
                  names=("A", "B")) -> tuple[Conflict, list[Asset]]:  # fmt: skip
    """Two assets with one serial: the inventory of a machine with that serial is a conflict."""
    assets = [make_asset(actor, organisation, name=name, serial=serial, model="Old model")
              for name in names]  # fmt: skip
    inventory = machine(device_id, uuid="", serial=serial, name=f"NEW-{device_id}")
    result = actions.ingest(inventory=inventory, organisation=organisation)
    assert result.conflict is not None
    return result.conflict, assets


@pytest.fixture
def conflict(alice, acme):
    # The ingest runs in French: the reason must still be worded in the reader's language.
    with translation.override("fr"):
        return make_conflict(alice, acme)


@pytest.fixture
def globex_supervisor(dave):
    dave.role = Role.SUPERVISOR
    dave.save()
    return dave


def _resolve(client, conflict, asset, **extra):
    value = "new" if asset is None else asset.pk
    url = reverse("inventory:conflict-resolve", args=[conflict.pk])
    return client.post(url, {"asset": value}, **extra)


def test_the_kept_inventory_is_shown_beside_each_candidate(client, sam, conflict):
    found, (a, b) = conflict
    client.force_login(sam)
    text = client.get(reverse("inventory:conflicts")).content.decode()
    assert "Several assets match by Serial number." in text
    for value in ("NEW-pc-0412-2026-01-01", "CZC1234XYZ", "a4:bb:6d:01:02:03",
                  "Windows 11 Pro 23H2", "Dell Inc.", "OptiPlex 5080", "Old model"):  # fmt: skip
        assert value in text, value
    assert f'href="/assets/{a.pk}/"' in text and f'href="/assets/{b.pk}/"' in text
    assert text.count("Attach to this asset") == 2
    assert "Create a new asset" in text and "Dismiss" in text
    assert text.count(">same</span>") == 2  # the serial, on both candidates
    assert 'name="csrfmiddlewaretoken"' in text


def test_the_reason_and_the_outcome_are_worded_in_each_readers_language(client, sam, conflict):
    found, (a, b) = conflict
    assert found.reason == ConflictReason.SEVERAL and found.criterion == Criterion.SERIAL
    client.force_login(sam)
    _resolve(client, found, a)
    page = {"status": "resolved"}
    english = client.get(reverse("inventory:conflicts"), page).content.decode()
    assert "Several assets match by Serial number." in english
    assert f"Attached to {a.reference}." in english
    sam.language = "fr"
    sam.save(update_fields=["language"])
    french = client.get(reverse("inventory:conflicts"), page).content.decode()
    # French quotes hold their words with no-break spaces.
    expected = "Plusieurs équipements correspondent par le critère «\u00a0Numéro de série\u00a0»."
    assert expected in french
    assert f"Rattaché à {a.reference}." in french


def test_attaching_applies_the_inventory_to_the_chosen_asset(client, sam, conflict):
    found, (a, b) = conflict
    client.force_login(sam)
    response = _resolve(client, found, a, follow=True)
    assert b"The inventory was applied to" in response.content
    found.refresh_from_db()
    assert found.status == ConflictStatus.RESOLVED and found.resolved_by == sam
    assert found.resolution == ConflictResolution.ATTACHED and found.resolved_asset == a
    a.refresh_from_db()
    assert a.name == "NEW-pc-0412-2026-01-01" and a.components.count() == 6
    assert Agent.objects.get().asset == a
    assert Asset.objects.count() == 2


def test_creating_a_new_asset_leaves_the_candidates_alone(client, sam, conflict):
    found, (a, b) = conflict
    client.force_login(sam)
    response = _resolve(client, found, None, follow=True)
    assert b"was created from the inventory" in response.content
    created = Asset.objects.exclude(pk__in=[a.pk, b.pk]).get()
    assert created.organisation == found.organisation and created.serial == "CZC1234XYZ"
    assert Agent.objects.get().asset == created
    found.refresh_from_db()
    assert found.resolution == ConflictResolution.CREATED and found.resolved_asset == created
    with translation.override("en"):
        assert found.resolution_text() == f"Created {created.reference}."
    a.refresh_from_db()
    assert a.name == "A" and a.components.count() == 0


def test_dismissing_changes_no_asset(client, sam, conflict):
    found, (a, b) = conflict
    client.force_login(sam)
    response = client.post(reverse("inventory:conflict-dismiss", args=[found.pk]), follow=True)
    assert b"The conflict was dismissed." in response.content
    found.refresh_from_db()
    assert found.status == ConflictStatus.DISMISSED
    assert found.resolution == ConflictResolution.DISMISSED
    assert Asset.objects.count() == 2 and Agent.objects.get().asset is None
    listed = client.get(reverse("inventory:conflicts")).content.decode()
    assert f'id="conflict-{found.pk}"' not in listed
    dismissed = client.get(reverse("inventory:conflicts"), {"status": "dismissed"})
    assert f'id="conflict-{found.pk}"' in dismissed.content.decode()
    assert b"Attach to this asset" not in dismissed.content


def test_a_resolved_conflict_cannot_be_resolved_again(client, sam, conflict):
    found, (a, b) = conflict
    client.force_login(sam)
    _resolve(client, found, a)
    response = _resolve(client, found, b, follow=True)
    assert b"This conflict is already resolved or unknown." in response.content
    b.refresh_from_db()
    assert b.components.count() == 0 and Agent.objects.get().asset == a


def test_an_asset_of_another_organisation_is_refused_with_a_message(
    client, root, conflict, globex, dave
):
    found, _assets = conflict
    elsewhere = make_asset(root, globex, name="G")
    client.force_login(root)
    response = _resolve(client, found, elsewhere, follow=True)
    assert b"Choose an asset of the organisation." in response.content
    found.refresh_from_db()
    assert found.status == ConflictStatus.OPEN and elsewhere.components.count() == 0


def test_a_garbled_asset_is_refused_with_a_message(client, sam, conflict):
    found, _assets = conflict
    client.force_login(sam)
    url = reverse("inventory:conflict-resolve", args=[found.pk])
    response = client.post(url, {"asset": "1; DROP"}, follow=True)
    assert b"Choose an asset of the organisation." in response.content
    found.refresh_from_db()
    assert found.status == ConflictStatus.OPEN


def test_resolving_is_all_or_nothing(client, sam, conflict, monkeypatch):
    found, (a, b) = conflict
    assets_before = Asset.objects.count()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(actions, "apply", broken)
    client.force_login(sam)
    with pytest.raises(RuntimeError):
        _resolve(client, found, None)  # the new asset is made, then applying fails
    with pytest.raises(RuntimeError):
        _resolve(client, found, a)
    found.refresh_from_db()
    assert found.status == ConflictStatus.OPEN and found.resolved_by is None
    assert Asset.objects.count() == assets_before and Agent.objects.get().asset is None


def test_a_supervisor_of_another_client_neither_sees_nor_resolves_acmes_conflict(
    client, globex_supervisor, conflict
):
    found, (a, _b) = conflict
    client.force_login(globex_supervisor)
    for status in ("open", "all"):
        text = client.get(reverse("inventory:conflicts"), {"status": status}).content.decode()
        assert f'id="conflict-{found.pk}"' not in text and "CZC1234XYZ" not in text
    assert _resolve(client, found, a).status_code == 404
    assert _resolve(client, found, None).status_code == 404
    dismiss = client.post(reverse("inventory:conflict-dismiss", args=[found.pk]))
    assert dismiss.status_code == 404
    found.refresh_from_db()
    assert found.status == ConflictStatus.OPEN and Asset.objects.count() == 2


def test_candidates_of_another_organisation_stay_hidden(client, sam, root, acme, globex):
    globex_asset = actions.ingest(inventory=machine(), organisation=globex).asset
    Agent.objects.all().delete()
    found = actions.ingest(inventory=machine("moved"), organisation=acme).conflict
    client.force_login(sam)
    text = client.get(reverse("inventory:conflicts")).content.decode()
    assert f'id="conflict-{found.pk}"' in text
    assert f"/assets/{globex_asset.pk}/" not in text and "Attach to this asset" not in text
    assert "None of the candidate assets is one you may see." in text
    client.force_login(root)
    text = client.get(reverse("inventory:conflicts")).content.decode()
    assert f"/assets/{globex_asset.pk}/" in text and "another organisation" in text


def test_all_statuses_list_the_open_conflicts_first(client, sam, alice, acme):
    first, (a, _b) = make_conflict(alice, acme, device_id="one", serial="SERIAL0001")
    second, _ = make_conflict(alice, acme, device_id="two", serial="SERIAL0002")
    third, _ = make_conflict(alice, acme, device_id="three", serial="SERIAL0003")
    actions.resolve_conflict(conflict=third, actor=sam, asset=None)
    client.force_login(sam)
    text = client.get(reverse("inventory:conflicts"), {"status": "all"}).content.decode()
    places = [text.index(f'id="conflict-{c.pk}"') for c in (second, first, third)]
    assert places == sorted(places)
    resolved = client.get(reverse("inventory:conflicts"), {"status": "resolved"})
    assert f'id="conflict-{third.pk}"'.encode() in resolved.content
    assert f'id="conflict-{first.pk}"'.encode() not in resolved.content


def test_the_conflicts_page_reads_a_fixed_number_of_rows(
    client, sam, alice, acme, django_assert_max_num_queries
):
    for n in range(15):
        make_conflict(alice, acme, device_id=f"pc-{n}", serial=f"SERIAL{n:04d}")
    client.force_login(sam)
    client.get(reverse("inventory:conflicts"))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("inventory:conflicts"))
    assert response.content.decode().count("Attach to this asset") == 30
