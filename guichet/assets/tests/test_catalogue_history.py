"""The history of products, dictionary entries, suppliers, licences and contracts: every
change is an event (who, when, from where, what), shown on the subject's page, never a
licence key, and never a client's past to another client."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.assets import actions
from guichet.assets.choices import CatalogueEventKind as Kind
from guichet.assets.choices import CatalogueSubject as Subject
from guichet.assets.choices import Source
from guichet.assets.models import CatalogueEvent, SoftwareAlias
from guichet.assets.tests.factories import make_asset, make_product
from guichet.tickets.tests.api_helpers import BASE, ApiCaller

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return ApiCaller(client)


def events(subject: str, pk: int) -> list[tuple]:
    rows = CatalogueEvent.objects.filter(subject=subject, subject_id=pk).order_by("id")
    return [(e.kind, e.field, e.old_value, e.new_value, e.source) for e in rows]


def test_a_licence_keeps_its_changes_and_seats_but_never_its_key(sam, acme, bob, client):
    product = make_product()
    licence = actions.create_licence(actor=sam, organisation=acme, product=product, name="LO",
                                     kind="per_user", seats=5, key="SECRET-KEY-1")  # fmt: skip
    actions.update_licence(licence=licence, actor=sam, seats=8, key="SECRET-KEY-2")
    actions.update_licence(licence=licence, actor=sam, key="SECRET-KEY-2")  # the same key
    seat = actions.assign_licence(licence=licence, actor=sam, user=bob)
    actions.unassign_licence(assignment=seat, actor=sam)

    found = events(Subject.LICENCE, licence.pk)
    assert found[0] == (Kind.CREATED, "", "", "LO", Source.UI)
    assert set(found[1:3]) == {
        (Kind.CHANGED, "seats", "5", "8", Source.UI),
        (Kind.CHANGED, "key", "", "", Source.UI),
    }
    assert found[3:] == [
        (Kind.SEAT_GIVEN, "", "", bob.display_name, Source.UI),
        (Kind.SEAT_TAKEN, "", bob.display_name, "", Source.UI),
    ]
    assert not CatalogueEvent.objects.filter(new_value__contains="SECRET").exists()
    assert not CatalogueEvent.objects.filter(old_value__contains="SECRET").exists()

    client.force_login(sam)
    with translation.override("en"):
        page = client.get(reverse("assets:licence", args=[licence.pk])).content.decode()
    assert "Seat taken back" in page and "changed (not shown)" in page
    assert "SECRET" not in page


def test_a_merge_is_in_both_products_histories(sam, acme, client):
    esr, firefox = make_product("Firefox ESR"), make_product("Firefox")
    actions.set_product_hidden(product=firefox, actor=sam, hidden=True)
    actions.merge_products(source=esr, target=firefox, actor=sam)
    merged = (Kind.MERGED, "", "Firefox ESR", "Firefox", Source.UI)
    assert events(Subject.PRODUCT, esr.pk) == [merged]
    assert events(Subject.PRODUCT, firefox.pk)[-1] == merged
    assert events(Subject.PRODUCT, firefox.pk)[0][:2] == (Kind.CHANGED, "hidden")
    client.force_login(sam)
    with translation.override("en"):
        page = client.get(reverse("assets:product", args=[firefox.pk])).content.decode()
    assert "Merged" in page and "<del>Firefox ESR</del>" in page


def test_a_dictionary_edit_names_the_products_before_and_after(sam):
    reader, viewer = make_product("Reader"), make_product("Viewer")
    alias = SoftwareAlias.objects.create(raw_name="acro reader", product=reader)
    actions.edit_alias(alias=alias, actor=sam, product=viewer.pk)
    assert events(Subject.ALIAS, alias.pk) == [
        (Kind.CHANGED, "product", "Reader", "Viewer", Source.UI)
    ]
    assert CatalogueEvent.objects.get(subject=Subject.ALIAS).label == "acro reader"


def test_a_supplier_history_outlives_it(alice, alice_client):
    supplier = actions.create_supplier(actor=alice, name="Bechtle")
    actions.update_supplier(supplier=supplier, actor=alice, phone="+33 1 23 45 67 89")
    with translation.override("en"):
        page = alice_client.get(reverse("assets:supplier-edit", args=[supplier.pk])).content
    assert "+33 1 23 45 67 89" in page.decode()
    pk = supplier.pk
    actions.delete_supplier(supplier=supplier, actor=alice)
    assert [e[0] for e in events(Subject.SUPPLIER, pk)] == [Kind.CREATED, Kind.CHANGED,
                                                             Kind.DELETED]  # fmt: skip


def test_contract_changes_through_the_api_say_so(api, alice, acme):
    machine = make_asset(alice, acme, name="SRV-01")
    caller = api.as_(alice)
    created = caller.post("/asset-contracts", {"kind": "maintenance", "name": "HP Care",
                                               "organisation": acme.pk, "starts_on": "2026-01-01",
                                               "ends_on": "2027-01-01"})  # fmt: skip
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    changed = caller.patch(f"/asset-contracts/{pk}", {"name": "HP Care Pack"})
    assert changed.status_code == 200, changed.json()
    covered = caller.client.put(BASE + f"/asset-contracts/{pk}/assets",
                                json.dumps({"assets": [machine.pk]}),
                                content_type="application/json", **caller.headers)  # fmt: skip
    assert covered.status_code == 200, covered.json()
    assert events(Subject.CONTRACT, pk) == [
        (Kind.CREATED, "", "", "HP Care", Source.API),
        (Kind.CHANGED, "name", "HP Care", "HP Care Pack", Source.API),
        (Kind.COVERED, "assets", "", "SRV-01", Source.API),
    ]


def test_a_licence_moved_to_another_client_shows_it_none_of_its_past(root, acme, globex,
                                                                   dave_client):  # fmt: skip
    licence = actions.create_licence(actor=root, organisation=acme, product=make_product(),
                                     name="Acme Office", kind="site")  # fmt: skip
    actions.update_licence(licence=licence, actor=root, organisation=globex, name="Globex Office")
    actions.update_licence(licence=licence, actor=root, notes="Transferred")
    response = dave_client.get(reverse("assets:licence", args=[licence.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Acme" not in page
    shown = [(e.field, e.new_value) for e in response.context["history"]]
    assert shown == [("notes", "Transferred")]
