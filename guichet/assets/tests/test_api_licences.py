"""The licences API: keys for those allowed only, seats, compliance, and what requesters and
outsiders get."""

import json

import pytest

from guichet.accounts.tests.factories import make_user
from guichet.assets import actions
from guichet.assets.choices import AssetEventKind, Source
from guichet.assets.models import Licence, LicenceAssignment
from guichet.assets.tests import factories
from guichet.assets.tests.factories import make_asset, make_product, make_version
from guichet.lib import crypto
from guichet.tickets.tests.api_helpers import ApiCaller

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return ApiCaller(client)


@pytest.fixture
def product():
    return make_product()


def make_licence(actor, organisation, product, **fields) -> Licence:
    fields.setdefault("name", "LibreOffice")
    fields.setdefault("kind", "per_device")
    fields.setdefault("seats", 5)
    return actions.create_licence(actor=actor, organisation=organisation, product=product,
                                  **fields)  # fmt: skip


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


def test_staff_create_read_and_change_a_licence(api, alice, acme, product):
    as_alice = api.as_(alice)
    response = as_alice.post(
        "/licences",
        {"name": "Office", "kind": "per_user", "seats": 10, "product": product.pk,
         "organisation": acme.pk, "supplier": "Reseller", "valid_until": "2030-01-01",
         "purchase_price": "1200.00"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["product"]["id"] == product.pk and created["supplier"]["name"] == "Reseller"
    assert created["used_seats"] == 0 and created["key"] is None and not created["has_key"]

    patched = as_alice.patch(f"/licences/{created['id']}", {"seats": 12, "notes": "Renewed"})
    assert patched.status_code == 200, patched.json()
    assert patched.json()["seats"] == 12 and patched.json()["notes"] == "Renewed"
    assert as_alice.get(f"/licences/{created['id']}").json()["name"] == "Office"


def test_bad_licence_input_is_a_422_naming_the_fields(api, alice, acme, globex, product):
    as_alice = api.as_(alice)
    valid = {"name": "LO", "kind": "per_device", "seats": 2, "product": product.pk,
             "organisation": acme.pk}  # fmt: skip
    for body, field in [
        ({"kind": "forever"}, "kind"),
        ({"seats": -1}, "seats"),
        ({"seats": 2**40}, "seats"),
        ({"product": 999_999}, "product"),
        ({"organisation": globex.pk}, "organisation"),
        ({"name": "LO\x00"}, "name"),
        ({"seats": None}, "seats"),
        ({"valid_from": "2026-01-01", "valid_until": "2025-01-01"}, "valid_until"),
        ({"colour": "blue"}, "colour"),
        ({"key": "k" * 2001}, "key"),
    ]:
        response = as_alice.post("/licences", {**valid, **body})
        assert response.status_code == 422, (body, response.json())
        assert field in response.json()["errors"], (body, response.json())
    assert not Licence.objects.exists()


def test_keys_are_never_listed_and_shown_to_supervisors_only(api, alice, sam, acme, product):
    response = api.as_(sam).post(
        "/licences",
        {"name": "LO", "kind": "site", "product": product.pk, "organisation": acme.pk,
         "key": "ABCD-EFGH"},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    licence_id = response.json()["id"]
    assert response.json()["key"] == "ABCD-EFGH"
    assert "ABCD" not in Licence.objects.get().key_encrypted

    for user in (alice, sam):
        listed = api.as_(user).get("/licences")
        assert "ABCD" not in listed.content.decode()
        assert "key" not in listed.json()["items"][0] and listed.json()["items"][0]["has_key"]
    assert api.as_(alice).get(f"/licences/{licence_id}").json()["key"] is None
    assert api.as_(sam).get(f"/licences/{licence_id}").json()["key"] == "ABCD-EFGH"


def test_only_those_who_may_read_keys_may_set_or_erase_them(api, alice, sam, acme, product):
    licence = make_licence(sam, acme, product, key="SECRET")
    as_alice = api.as_(alice)
    for key in ("stolen", "", None):
        response = as_alice.patch(f"/licences/{licence.pk}", {"key": key})
        assert response.status_code == 422 and "key" in response.json()["errors"], key
    response = as_alice.post(
        "/licences",
        {"name": "X", "kind": "site", "product": product.pk, "organisation": acme.pk, "key": "K"},
    )
    assert response.status_code == 422 and "key" in response.json()["errors"]
    assert actions.read_key(licence=Licence.objects.get(pk=licence.pk), actor=sam) == "SECRET"

    assert api.as_(sam).patch(f"/licences/{licence.pk}", {"key": "NEW"}).json()["key"] == "NEW"
    assert api.as_(sam).patch(f"/licences/{licence.pk}", {"key": ""}).json()["has_key"] is False


def test_a_key_that_can_no_longer_be_decrypted_reads_as_null(api, sam, acme, product):
    licence = make_licence(sam, acme, product)
    Licence.objects.filter(pk=licence.pk).update(key_encrypted="gAAAA-not-a-token")
    body = api.as_(sam).get(f"/licences/{licence.pk}").json()
    assert body["key"] is None and body["has_key"]
    with pytest.raises(crypto.Undecryptable):
        crypto.decrypt("gAAAA-not-a-token")


def test_the_list_filters_and_pages(api, alice, acme, product):
    other = make_product("Firefox", "Mozilla")
    names = ["Alpha", "Bravo", "Charlie"]
    made = [make_licence(alice, acme, product, name=n).pk for n in names]
    site = make_licence(alice, acme, other, name="Delta", kind="site", seats=None)
    caller = api.as_(alice)
    first = caller.get("/licences", {"limit": 2}).json()
    second = caller.get("/licences", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [i["id"] for i in first["items"] + second["items"]] == [*made, site.pk]
    assert ids(caller.get("/licences", {"product": other.pk})) == [site.pk]
    assert ids(caller.get("/licences", {"kind": "site"})) == [site.pk]
    assert ids(caller.get("/licences", {"q": "brav"})) == [made[1]]
    assert ids(caller.get("/licences", {"organisation": acme.pk, "limit": 1})) == [made[0]]
    for bad in ({"kind": "x"}, {"cursor": "x"}, {"product": 0}, {"limit": 500}):
        assert caller.get("/licences", bad).status_code == 422, bad


def test_the_list_reads_a_page_in_a_few_queries(api, alice, acme, django_assert_max_num_queries):
    asset = make_asset(alice, acme)
    for i in range(55):
        licence = make_licence(alice, acme, make_product(f"App {i}"), name=f"L{i:02}")
        actions.assign_licence(licence=licence, actor=alice, asset=asset)
    caller = api.as_(alice)
    caller.get("/licences")
    with django_assert_max_num_queries(5):
        response = caller.get("/licences", {"limit": 50})
    items = response.json()["items"]
    assert len(items) == 50 and {i["used_seats"] for i in items} == {1}


def test_the_page_sent_as_built_is_the_documented_schema(api, alice, acme, product):
    from ninja.responses import NinjaJSONEncoder

    from guichet.assets.api.licence_schemas import LicencePage

    make_licence(alice, acme, product, supplier="Shop", purchase_price="9.99",
                 valid_from="2024-01-01")  # fmt: skip
    make_licence(alice, acme, product, name="Site", kind="site", seats=None)
    body = api.as_(alice).get("/licences").json()
    validated = LicencePage.model_validate(body).model_dump()
    assert json.loads(json.dumps(validated, cls=NinjaJSONEncoder)) == body


def test_seats_are_given_to_machines_and_people_and_taken_back(api, alice, acme, bob, product):
    per_device = make_licence(alice, acme, product, seats=1)
    per_user = make_licence(alice, acme, product, name="Per user", kind="per_user", seats=3)
    asset = make_asset(alice, acme)
    as_alice = api.as_(alice)

    given = as_alice.post(f"/licences/{per_device.pk}/assignments", {"asset": asset.pk})
    assert given.status_code == 201, given.json()
    assert given.json()["asset"] == {"id": asset.pk, "name": asset.name}
    assert given.json()["assigned_by"]["id"] == alice.pk
    again = as_alice.post(f"/licences/{per_device.pk}/assignments", {"asset": asset.pk})
    assert again.status_code == 409
    full = as_alice.post(
        f"/licences/{per_device.pk}/assignments", {"asset": make_asset(alice, acme, name="B").pk}
    )
    assert full.status_code == 409
    person = as_alice.post(f"/licences/{per_user.pk}/assignments", {"user": bob.pk})
    assert person.status_code == 201 and person.json()["user"]["id"] == bob.pk

    detail = as_alice.get(f"/licences/{per_device.pk}").json()
    assert detail["used_seats"] == 1 and [a["id"] for a in detail["assignments"]] == [
        given.json()["id"]
    ]
    taken = as_alice.delete(f"/licences/{per_device.pk}/assignments/{given.json()['id']}")
    assert taken.status_code == 200 and taken.json() == []
    assert not LicenceAssignment.objects.filter(licence=per_device).exists()
    # The machine's history says it was done through the API, both ways.
    sources = asset.events.filter(kind=AssetEventKind.LICENCE).values_list("source", flat=True)
    assert list(sources) == [Source.API, Source.API]
    # A seat of another licence is not found under this one.
    other = as_alice.delete(f"/licences/{per_device.pk}/assignments/{person.json()['id']}")
    assert other.status_code == 404


def test_a_seat_needs_one_holder_the_caller_may_see(api, alice, acme, bob, charlie, dave, globex,
                                                     product):  # fmt: skip
    licence = make_licence(alice, acme, product)
    asset = make_asset(alice, acme)
    elsewhere = make_asset(dave, globex)
    as_alice = api.as_(alice)
    path = f"/licences/{licence.pk}/assignments"
    for body, field in [
        ({}, "asset"),
        ({"asset": asset.pk, "user": bob.pk}, "asset"),
        ({"asset": elsewhere.pk}, "asset"),
        ({"user": charlie.pk}, "user"),
        ({"asset": 2**64}, "asset"),
        ({"asset": asset.pk, "extra": 1}, "extra"),
    ]:
        response = as_alice.post(path, body)
        assert response.status_code == 422, (body, response.json())
        assert field in response.json()["errors"], (body, response.json())
    assert not LicenceAssignment.objects.exists()


def test_requesters_see_no_licences_and_managers_read_their_own(api, alice, acme, bob, product):
    licence = make_licence(alice, acme, product, key="")
    assignment = actions.assign_licence(licence=licence, actor=alice, asset=make_asset(alice, acme))
    as_bob = api.as_(bob)
    assert ids(as_bob.get("/licences")) == []
    assert as_bob.get(f"/licences/{licence.pk}").status_code == 404

    manager = api.as_(make_user("maria", organisation=acme, is_org_manager=True))
    assert ids(manager.get("/licences")) == [licence.pk]
    assert manager.get(f"/licences/{licence.pk}").json()["key"] is None
    assert manager.patch(f"/licences/{licence.pk}", {"seats": 9}).status_code == 403
    assert manager.post(f"/licences/{licence.pk}/assignments", {"user": bob.pk}).status_code == 403
    response = manager.delete(f"/licences/{licence.pk}/assignments/{assignment.pk}")
    assert response.status_code == 403
    body = {"name": "X", "kind": "site", "product": product.pk, "organisation": acme.pk}
    assert manager.post("/licences", body).status_code == 403
    assert Licence.objects.get(pk=licence.pk).seats == 5
    assert LicenceAssignment.objects.filter(pk=assignment.pk).exists()


def test_outsiders_get_404_and_empty_lists_on_every_licence_endpoint(
    api, alice, acme, charlie, dave, product
):
    licence = make_licence(alice, acme, product)
    assignment = actions.assign_licence(licence=licence, actor=alice, asset=make_asset(alice, acme))
    for outsider in (charlie, dave):
        caller = api.as_(outsider)
        assert ids(caller.get("/licences")) == []
        assert ids(caller.get("/licences", {"organisation": acme.pk})) == []
        assert caller.get(f"/licences/{licence.pk}").status_code == 404
        assert caller.patch(f"/licences/{licence.pk}", {"seats": 1}).status_code == 404
        path = f"/licences/{licence.pk}/assignments"
        assert caller.post(path, {"user": outsider.pk}).status_code == 404
        assert caller.delete(f"{path}/{assignment.pk}").status_code == 404
        assert caller.get("/licences/compliance").json() == []
        assert caller.get("/licences/compliance", {"organisation": acme.pk}).json() == []
    response = api.as_(dave).post(
        "/licences", {"name": "X", "kind": "site", "product": product.pk, "organisation": acme.pk}
    )
    assert response.status_code == 422 and "organisation" in response.json()["errors"]
    assert Licence.objects.count() == 1 and LicenceAssignment.objects.count() == 1


def test_a_product_the_caller_may_not_see_is_unknown(api, alice, acme, dave, globex):
    theirs = make_product("Globex CAD", "Globex")
    factories.install(make_asset(dave, globex), make_version(theirs))
    response = api.as_(alice).post(
        "/licences",
        {"name": "CAD", "kind": "per_device", "product": theirs.pk, "organisation": acme.pk},
    )
    # Reported as the action reports an unknown product, with the other bad fields.
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"product", "seats"}
    assert not Licence.objects.exists()


def test_compliance_counts_installs_against_seats(api, alice, acme, product):
    licence = make_licence(alice, acme, product, seats=1)
    for name in ("A", "B"):
        factories.install(make_asset(alice, acme, name=name), make_version(product))
    rows = api.as_(alice).get("/licences/compliance").json()
    assert len(rows) == 1
    row = rows[0]
    assert (row["product"]["id"], row["organisation"]["id"]) == (product.pk, acme.pk)
    assert (row["installed"], row["entitled"], row["difference"]) == (2, 1, -1)
    assert row["status"] == "under" and row["status_label"] and row["licences"] == 1
    assert api.as_(alice).get("/licences/compliance", {"product": product.pk}).json() == rows
    other = make_product("Other")
    assert api.as_(alice).get("/licences/compliance", {"product": other.pk}).json() == []
    assert api.as_(alice).get("/licences/compliance", {"product": "x"}).status_code == 422
    assert licence.pk
