"""Contract and supplier screens through HTTP: an organisation's contracts stay its own, the
list filters by type, client and end date, and the covered assets are added and removed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from guichet.assets import actions
from guichet.assets.catalogue_queries import expiry
from guichet.assets.models import Contract, Supplier
from guichet.assets.tests.factories import make_asset

pytestmark = pytest.mark.django_db


def make_contract(actor, organisation, *, name="Maintenance HP", days=12, kind="maintenance"):
    today = timezone.localdate()
    return actions.create_contract(actor=actor, organisation=organisation, kind=kind, name=name,
                                   starts_on=today - timedelta(days=365),
                                   ends_on=today + timedelta(days=days))  # fmt: skip


@pytest.fixture
def contract(alice, acme):
    return make_contract(alice, acme)


@pytest.fixture
def machine(alice, acme):
    return make_asset(alice, acme, name="ACME-SRV-1", serial="CZ1234")


def _pages(contract) -> list[str]:
    return [
        reverse("assets:contract", args=[contract.pk]),
        reverse("assets:contract-edit", args=[contract.pk]),
    ]


def _posts(contract, machine) -> list[str]:
    return [
        reverse("assets:contract-edit", args=[contract.pk]),
        reverse("assets:contract-cover", args=[contract.pk]),
        reverse("assets:contract-uncover", args=[contract.pk, machine.pk]),
    ]


@translation.override("en")
def test_the_end_reads_as_days_left_or_ended():
    today = timezone.localdate()
    assert expiry(today + timedelta(days=12), today) == "ends in 12 days"
    assert expiry(today + timedelta(days=1), today) == "ends in 1 day"
    assert expiry(today, today) == "ends today"
    assert expiry(today - timedelta(days=1), today) == "ended"


@pytest.mark.parametrize("who", ["alice", "sam", "root"])
def test_staff_of_the_organisation_open_the_contract_pages(request, client, who, contract):
    client.force_login(request.getfixturevalue(who))
    for url in [reverse("assets:contracts"), reverse("assets:contract-new"), *_pages(contract)]:
        assert client.get(url).status_code == 200, url


def test_an_outsider_technician_gets_a_404_and_an_empty_list(dave_client, alice, contract, machine):
    actions.set_contract_assets(contract=contract, actor=alice, assets=[machine])
    for url in _pages(contract):
        assert dave_client.get(url).status_code == 404, url
    for url in _posts(contract, machine):
        assert dave_client.post(url, {"name": "Taken", "asset": "CZ1234"}).status_code == 404
    listing = dave_client.get(reverse("assets:contracts"))
    assert list(listing.context["page"].object_list) == []
    assert "Maintenance HP" not in listing.content.decode()
    assert list(contract.assets.all()) == [machine]


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_never_reach_the_contract_pages(request, who, contract, machine):
    client = request.getfixturevalue(who)
    for url in [reverse("assets:contracts"), reverse("assets:contract-new"), *_pages(contract)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    for url in [reverse("assets:contract-new"), *_posts(contract, machine)]:
        assert client.post(url, {"name": "Taken", "asset": "CZ1234"}).status_code == 404, url
    assert Contract.objects.get(pk=contract.pk).name == "Maintenance HP"
    assert not contract.assets.exists()


def test_the_list_shows_when_each_contract_ends(alice_client, alice, acme, contract):
    make_contract(alice, acme, name="Old lease", days=-3, kind="leasing")
    page = alice_client.get(reverse("assets:contracts")).content.decode()
    assert "ends in 12 days" in page and "ended" in page
    assert page.index("Old lease") < page.index("Maintenance HP")  # the earliest end first


def test_the_list_filters_by_type_organisation_and_end(client, root, acme, globex, contract):
    make_contract(root, acme, name="Far support", days=200, kind="support")
    make_contract(root, globex, name="Globex lease", days=5, kind="leasing")
    client.force_login(root)

    def names(**params):
        response = client.get(reverse("assets:contracts"), params)
        assert response.status_code == 200
        return [c.name for c in response.context["page"].object_list]

    assert names(kind="support") == ["Far support"]
    assert names(organisation=globex.pk) == ["Globex lease"]
    assert names(ending_within=30) == ["Globex lease", "Maintenance HP"]
    assert names(ending_within=30, organisation=acme.pk) == ["Maintenance HP"]


def test_a_bad_filter_is_a_400_with_its_message(alice_client):
    response = alice_client.get(reverse("assets:contracts"), {"ending_within": "soon"})
    assert response.status_code == 400
    assert 'aria-describedby="id_ending_within_error"' in response.content.decode()


def test_a_contract_is_created_and_edited_through_the_forms(alice_client, alice, acme):
    supplier = actions.create_supplier(actor=alice, name="HP France")
    values = {"name": "Support Dell", "kind": "support", "organisation": acme.pk,
              "supplier": supplier.pk, "starts_on": "2026-01-01", "ends_on": "2027-01-01",
              "notice_days": 30, "alert_days": 60}  # fmt: skip
    response = alice_client.post(reverse("assets:contract-new"), values)
    created = Contract.objects.get(name="Support Dell")
    assert response["Location"] == reverse("assets:contract", args=[created.pk])
    assert created.supplier == supplier
    edit = reverse("assets:contract-edit", args=[created.pk])
    assert alice_client.post(edit, {**values, "ends_on": "2025-01-01"}).status_code == 400
    assert alice_client.post(edit, {**values, "number": "C-42"}).status_code == 302
    assert Contract.objects.get(pk=created.pk).number == "C-42"


def test_machines_are_added_to_and_removed_from_a_contract(alice_client, contract, machine):
    cover = reverse("assets:contract-cover", args=[contract.pk])
    assert alice_client.post(cover, {"asset": "CZ1234"}).status_code == 302
    assert list(contract.assets.all()) == [machine]
    page = alice_client.get(reverse("assets:contract", args=[contract.pk])).content.decode()
    assert "ACME-SRV-1" in page
    uncover = reverse("assets:contract-uncover", args=[contract.pk, machine.pk])
    assert alice_client.post(uncover).status_code == 302
    assert not contract.assets.exists()
    assert alice_client.post(uncover).status_code == 404


def test_a_machine_of_another_organisation_is_not_covered(alice_client, dave, globex, contract):
    make_asset(dave, globex, name="GLOBEX-SRV")
    response = alice_client.post(reverse("assets:contract-cover", args=[contract.pk]),
                                 {"asset": "GLOBEX-SRV"})  # fmt: skip
    assert response.status_code == 400
    assert not contract.assets.exists()


def test_the_contract_list_costs_the_same_queries_for_many_contracts(
    alice, acme, alice_client, machine, django_assert_max_num_queries
):
    for n in range(60):
        contract = make_contract(alice, acme, name=f"Contract {n:02d}", days=n)
        actions.set_contract_assets(contract=contract, actor=alice, assets=[machine])
    with django_assert_max_num_queries(9):
        response = alice_client.get(reverse("assets:contracts"))
    rows = list(response.context["page"].object_list)
    assert len(rows) == 50 and {c.asset_count for c in rows} == {1}


# --- Suppliers ----------------------------------------------------------------------------


def test_staff_create_and_edit_suppliers(alice_client):
    response = alice_client.post(reverse("assets:supplier-new"),
                                 {"name": "Bechtle", "email": "sales@bechtle.test"})  # fmt: skip
    assert response["Location"] == reverse("assets:suppliers")
    supplier = Supplier.objects.get(name="Bechtle")
    edit = reverse("assets:supplier-edit", args=[supplier.pk])
    assert alice_client.get(edit).status_code == 200
    alice_client.post(edit, {"name": "Bechtle AG", "website": "https://bechtle.test"})
    supplier.refresh_from_db()
    assert (supplier.name, supplier.website) == ("Bechtle AG", "https://bechtle.test")
    listing = alice_client.get(reverse("assets:suppliers"), {"q": "bech"}).content.decode()
    assert "Bechtle AG" in listing


def test_two_suppliers_never_share_a_name(alice_client, alice):
    actions.create_supplier(actor=alice, name="Bechtle")
    response = alice_client.post(reverse("assets:supplier-new"), {"name": "bechtle"})
    assert response.status_code == 400
    assert "Another supplier has this name." in response.content.decode()
    assert Supplier.objects.count() == 1


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_never_reach_the_supplier_pages(request, who, alice):
    client = request.getfixturevalue(who)
    supplier = actions.create_supplier(actor=alice, name="Bechtle")
    edit = reverse("assets:supplier-edit", args=[supplier.pk])
    for url in (reverse("assets:suppliers"), reverse("assets:supplier-new"), edit):
        assert client.get(url)["Location"] == reverse("portal:home")
        assert client.post(url, {"name": "Taken"}).status_code == 404
    assert Supplier.objects.get(pk=supplier.pk).name == "Bechtle"


def test_a_supplier_is_deleted_only_when_nothing_names_it(alice_client, alice, acme):
    unused = actions.create_supplier(actor=alice, name="Bechtle")
    used = actions.create_supplier(actor=alice, name="Inmac")
    make_asset(alice, acme, supplier="Inmac")
    response = alice_client.post(reverse("assets:supplier-delete", args=[unused.pk]), follow=True)
    assert "The supplier “Bechtle” was deleted." in response.content.decode()
    response = alice_client.post(reverse("assets:supplier-delete", args=[used.pk]), follow=True)
    assert "named on assets, licences or contracts" in response.content.decode()
    assert list(Supplier.objects.values_list("pk", flat=True)) == [used.pk]


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_cannot_delete_a_supplier(request, who, alice):
    supplier = actions.create_supplier(actor=alice, name="Bechtle")
    client = request.getfixturevalue(who)
    assert client.post(reverse("assets:supplier-delete", args=[supplier.pk])).status_code == 404
    assert Supplier.objects.filter(pk=supplier.pk).exists()
