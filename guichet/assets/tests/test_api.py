"""The assets API: assets, their history, components and software, the catalogue, and what
requesters and outsiders get."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.accounts.tests.factories import make_location, make_user
from guichet.assets import actions
from guichet.assets.choices import AssetEventKind, Source
from guichet.assets.models import Asset, Component, Installation
from guichet.assets.tests import factories
from guichet.assets.tests.factories import make_asset, make_product, make_version, reload
from guichet.tickets.tests.api_helpers import ApiCaller

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return ApiCaller(client)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


def install(asset, product, version: str = "1.0") -> Installation:
    return factories.install(asset, make_version(product, version))


def test_staff_create_read_and_change_an_asset(api, alice, acme, bob):
    site = make_location(acme, "Paris")
    as_alice = api.as_(alice)
    response = as_alice.post(
        "/assets",
        {"name": "PC-1", "kind": "computer", "subtype": "laptop", "organisation": acme.pk,
         "location": site.pk, "user": bob.pk, "manufacturer": "Lenovo", "serial": "SN1",
         "purchase_price": "799.90", "custom_fields": {"desk": "B12", "floor": 3}},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["manufacturer"]["name"] == "Lenovo"
    assert created["user"] == {"id": bob.pk, "name": bob.display_name}
    assert created["location"]["name"] == "Paris" and created["purchase_price"] == "799.90"
    assert created["custom_fields"] == {"desk": "B12", "floor": 3}
    asset = Asset.objects.get(pk=created["id"])
    assert asset.events.get().source == Source.API

    patched = as_alice.patch(f"/assets/{asset.pk}", {"state": "in_repair", "note": "Screen"})
    assert patched.status_code == 200, patched.json()
    assert patched.json()["state"] == "in_repair" and patched.json()["serial"] == "SN1"
    event = asset.events.get(kind=AssetEventKind.STATE)
    assert (event.source, event.note, event.actor) == (Source.API, "Screen", alice)
    read = as_alice.get(f"/assets/{asset.pk}").json()
    assert read["state"] == "in_repair" and read["location"]["id"] == site.pk


def test_a_patch_changes_only_the_fields_sent_and_null_clears(api, alice, acme, bob):
    asset = make_asset(alice, acme, serial="SN1", user=bob, subtype="desktop")
    response = api.as_(alice).patch(f"/assets/{asset.pk}", {"user": None, "subtype": None})
    assert response.status_code == 200, response.json()
    fresh = reload(asset)
    assert (fresh.user, fresh.subtype, fresh.serial) == (None, "", "SN1")


def test_the_actions_refusals_are_field_errors(api, alice, acme, globex):
    make_asset(alice, acme, inventory_number="INV-1")
    as_alice = api.as_(alice)
    response = as_alice.post(
        "/assets",
        {"name": "PC", "kind": "monitor", "subtype": "laptop", "organisation": acme.pk,
         "inventory_number": "INV-1"},
    )  # fmt: skip
    assert response.status_code == 422
    assert {"subtype", "inventory_number"} <= set(response.json()["errors"])
    response = as_alice.post(
        "/assets", {"name": "PC", "kind": "computer", "organisation": globex.pk}
    )
    assert response.status_code == 422 and "organisation" in response.json()["errors"]
    assert Asset.objects.count() == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({"name": "x" * 201}, "name"),
        ({"name": "PC\x00"}, "name"),
        ({"kind": "toaster"}, "kind"),
        ({"organisation": "acme"}, "organisation"),
        ({"organisation": 2**70}, "organisation"),
        ({"memory_mb": 2**40}, "memory_mb"),
        ({"purchase_price": "12.345"}, "purchase_price"),
        ({"purchase_price": "NaN"}, "purchase_price"),
        ({"purchase_date": "2024-13-45"}, "purchase_date"),
        ({"warranty_end": "0001-01-01"}, "warranty_end"),
        ({"notes": "n" * 100_001}, "notes"),
        ({"custom_fields": {"k": "v\x00"}}, "custom_fields.k"),
        ({"custom_fields": ["not", "a", "dict"]}, "custom_fields"),
        ({"status": "in_use"}, "status"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(api, alice, acme, body, field):
    valid = {"name": "PC", "kind": "computer", "organisation": acme.pk}
    response = api.as_(alice).post("/assets", {**valid, **body})
    assert response.status_code == 422, response.json()
    assert any(key.startswith(field) for key in response.json()["errors"]), response.json()
    assert not Asset.objects.exists()


def test_a_body_that_is_not_json_or_not_an_object_is_a_422(api, alice, acme):
    asset = make_asset(alice, acme)
    as_alice = api.as_(alice)
    assert as_alice.patch(f"/assets/{asset.pk}", "{not json").status_code in (400, 422)
    assert as_alice.patch(f"/assets/{asset.pk}", [1, 2]).status_code == 422
    assert as_alice.patch(f"/assets/{asset.pk}", {"name": None}).status_code == 422
    assert reload(asset).name == asset.name


def test_the_list_filters(api, alice, acme, bob):
    lenovo = make_asset(alice, acme, name="Laptop Zoe", manufacturer="Lenovo", serial="XY-77",
                        subtype="laptop", user=bob)  # fmt: skip
    site = make_location(acme)
    screen = make_asset(alice, acme, name="Screen", kind="monitor", inventory_number="INV-42",
                        location=site.pk, state="in_stock")  # fmt: skip
    caller = api.as_(alice)

    assert ids(caller.get("/assets")) == [screen.pk, lenovo.pk]
    assert ids(caller.get("/assets", {"q": "xy-77"})) == [lenovo.pk]
    assert ids(caller.get("/assets", {"q": "inv-42"})) == [screen.pk]
    assert ids(caller.get("/assets", {"q": "laptop zoe"})) == [lenovo.pk]
    assert ids(caller.get("/assets", {"q": "laptop screen"})) == []
    assert ids(caller.get("/assets", {"kind": "monitor"})) == [screen.pk]
    assert ids(caller.get("/assets", {"subtype": "laptop"})) == [lenovo.pk]
    assert ids(caller.get("/assets", {"state": "in_stock"})) == [screen.pk]
    assert ids(caller.get("/assets", {"organisation": acme.pk})) == [screen.pk, lenovo.pk]
    assert ids(caller.get("/assets", {"location": site.pk})) == [screen.pk]
    assert ids(caller.get("/assets", {"user": bob.pk})) == [lenovo.pk]
    assert ids(caller.get("/assets", {"manufacturer": lenovo.manufacturer_id})) == [lenovo.pk]
    assert ids(caller.get("/assets", {"sort": "name"})) == [lenovo.pk, screen.pk]
    bad_filters = [
        {"kind": "toaster"},
        {"limit": 0},
        {"limit": 201},
        {"user": "me"},
        {"q": "x" * 201},
        {"q": "a\x00"},
        {"cursor": "garbage"},
        {"sort": "price"},
    ]
    for bad in bad_filters:
        assert caller.get("/assets", bad).status_code == 422, bad


def test_the_list_pages_with_cursors(api, alice, acme):
    made = [make_asset(alice, acme, name=f"PC-{i:02}").pk for i in range(5)]
    caller = api.as_(alice)
    first = caller.get("/assets", {"limit": 2}).json()
    second = caller.get("/assets", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = caller.get("/assets", {"limit": 2, "cursor": second["next_cursor"]}).json()
    walked = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert walked == made[::-1] and third["next_cursor"] is None
    back = caller.get("/assets", {"limit": 2, "cursor": third["prev_cursor"]}).json()
    assert [i["id"] for i in back["items"]] == [i["id"] for i in second["items"]]
    # A cursor of one sort order is refused by another.
    response = caller.get("/assets", {"sort": "name", "cursor": first["next_cursor"]})
    assert response.status_code == 422 and "cursor" in response.json()["errors"]


def test_the_list_reads_a_page_in_a_few_queries(
    api, alice, acme, bob, django_assert_max_num_queries
):
    site = make_location(acme)
    for i in range(60):
        make_asset(alice, acme, name=f"PC-{i}", manufacturer=f"Maker {i % 3}", user=bob,
                   location=site.pk, supplier="Dell Store")  # fmt: skip
    caller = api.as_(alice)
    caller.get("/assets", {"limit": 50})  # the token's first use is recorded once

    with django_assert_max_num_queries(5):
        response = caller.get("/assets", {"limit": 50})

    items = response.json()["items"]
    assert len(items) == 50 and all(i["user"]["id"] == bob.pk for i in items)


def test_the_page_sent_as_built_is_the_documented_schema(api, alice, acme, bob):
    from ninja.responses import NinjaJSONEncoder

    from guichet.assets.api.asset_schemas import AssetPage

    site = make_location(acme)
    make_asset(alice, acme, user=bob, manufacturer="HP", supplier="Shop", purchase_price="10",
               location=site.pk, purchase_date="2024-01-02", memory_mb=8192)  # fmt: skip
    make_asset(alice, acme, name="Bare", kind="other")
    body = api.as_(alice).get("/assets").json()
    validated = AssetPage.model_validate(body).model_dump()
    assert json.loads(json.dumps(validated, cls=NinjaJSONEncoder)) == body


def test_requesters_read_only_their_own_assets(api, alice, acme, bob):
    mine = make_asset(alice, acme, name="Bob's", user=bob)
    other = make_asset(alice, acme, name="Colleague's")
    as_bob = api.as_(bob)
    assert ids(as_bob.get("/assets")) == [mine.pk]
    assert as_bob.get(f"/assets/{mine.pk}").status_code == 200
    assert as_bob.get(f"/assets/{other.pk}").status_code == 404
    assert as_bob.patch(f"/assets/{mine.pk}", {"name": "Mine"}).status_code == 403
    assert as_bob.patch(f"/assets/{other.pk}", {"name": "Mine"}).status_code == 404
    response = as_bob.post("/assets", {"name": "New", "kind": "computer", "organisation": acme.pk})
    assert response.status_code == 403
    assert reload(mine).name == "Bob's" and Asset.objects.count() == 2


def test_an_organisations_manager_sees_all_of_its_assets(api, alice, acme, bob):
    manager = make_user("maria", organisation=acme, is_org_manager=True)
    assets = [make_asset(alice, acme, name="A", user=bob).pk, make_asset(alice, acme, name="B").pk]
    assert ids(api.as_(manager).get("/assets")) == assets[::-1]


def test_outsiders_get_404_and_empty_lists_on_every_asset_endpoint(api, alice, acme, charlie, dave):
    asset = make_asset(alice, acme)
    Component.objects.create(asset=asset, kind="cpus", identity="cpu0", first_seen=timezone.now())
    install(asset, make_product())
    for outsider in (charlie, dave):
        caller = api.as_(outsider)
        assert ids(caller.get("/assets")) == []
        assert ids(caller.get("/assets", {"organisation": acme.pk})) == []
        for path in ("", "/history", "/components", "/installations"):
            assert caller.get(f"/assets/{asset.pk}{path}").status_code == 404, path
        assert caller.patch(f"/assets/{asset.pk}", {"name": "Mine"}).status_code == 404
        response = caller.post(
            "/assets", {"name": "X", "kind": "computer", "organisation": acme.pk}
        )
        assert response.status_code in (403, 422)
        assert ids(caller.get("/installations")) == []
    assert reload(asset).name == asset.name and Asset.objects.count() == 1


def test_an_unknown_or_absurd_asset_id_is_a_404_or_422(api, alice):
    caller = api.as_(alice)
    assert caller.get("/assets/999999").status_code == 404
    assert caller.get(f"/assets/{2**70}").status_code == 422
    assert caller.get("/assets/abc").status_code == 422
    assert caller.get("/assets").status_code == 200


def test_the_history_lists_events_newest_first_in_pages(api, alice, acme):
    asset = make_asset(alice, acme)
    for i in range(3):
        actions.update_asset(asset=asset, actor=alice, name=f"PC-{i}")
    caller = api.as_(alice)
    first = caller.get(f"/assets/{asset.pk}/history", {"limit": 2}).json()
    assert [e["new_value"] for e in first["items"]] == ["PC-2", "PC-1"]
    assert first["items"][0]["actor"]["id"] == alice.pk and first["items"][0]["field"] == "name"
    rest = caller.get(f"/assets/{asset.pk}/history", {"cursor": first["next_cursor"]}).json()
    assert [e["kind"] for e in rest["items"]] == ["changed", "created"]
    assert caller.get(f"/assets/{asset.pk}/history", {"cursor": "x"}).status_code == 422


def test_components_and_installations_of_an_asset(api, alice, acme, bob):
    seen = timezone.now() - timedelta(days=1)
    asset = make_asset(alice, acme, user=bob)
    Asset.objects.filter(pk=asset.pk).update(last_inventory_at=seen)
    Component.objects.create(asset=asset, kind="memories", identity="slot0", label="8 GB",
                             size=8192, first_seen=seen, data={"type": "DDR4"})  # fmt: skip
    product = make_product("Firefox", "Mozilla")
    install(asset, product, "128.0")

    for user in (alice, bob):
        caller = api.as_(user)
        components = caller.get(f"/assets/{asset.pk}/components").json()
        assert [(c["identity"], c["data"]) for c in components] == [("slot0", {"type": "DDR4"})]
        assert components[0]["last_seen"] is not None
        software = caller.get(f"/assets/{asset.pk}/installations").json()
        assert [(s["product"]["name"], s["version"]["version"]) for s in software] == [
            ("Firefox", "128.0")
        ]
        assert software[0]["asset"] == {"id": asset.pk, "name": asset.name}


def test_installations_are_listed_for_visible_assets_and_filtered(api, alice, acme, globex, dave):
    firefox, office = make_product("Firefox", "Mozilla"), make_product("Office", "Microsoft")
    pc = make_asset(alice, acme, name="PC")
    laptop = make_asset(alice, acme, name="Laptop")
    globex_pc = make_asset(dave, globex, name="Globex PC")
    one = install(pc, firefox)
    two = install(laptop, firefox)
    three = install(laptop, office)
    theirs = install(globex_pc, firefox)
    caller = api.as_(alice)
    assert ids(caller.get("/installations")) == [three.pk, two.pk, one.pk]
    assert ids(caller.get("/installations", {"product": firefox.pk})) == [two.pk, one.pk]
    assert ids(caller.get("/installations", {"asset": laptop.pk})) == [three.pk, two.pk]
    assert ids(caller.get("/installations", {"organisation": acme.pk, "limit": 1})) == [three.pk]
    assert ids(caller.get("/installations", {"asset": globex_pc.pk})) == []
    assert ids(api.as_(dave).get("/installations")) == [theirs.pk]


def test_the_installations_list_reads_a_page_in_a_few_queries(
    api, alice, acme, django_assert_max_num_queries
):
    for i in range(55):
        install(make_asset(alice, acme, name=f"PC-{i}"), make_product(f"App {i % 4}"), f"{i}")
    caller = api.as_(alice)
    caller.get("/installations")
    with django_assert_max_num_queries(5):
        response = caller.get("/installations", {"limit": 50})
    assert len(response.json()["items"]) == 50


def test_the_catalogue_lists_products_with_counts_of_visible_installations(
    api, alice, acme, globex, dave
):
    firefox = make_product("Firefox", "Mozilla")
    hidden = make_product("VC++ runtime", "Microsoft")
    hidden.hidden = True
    hidden.save(update_fields=["hidden"])
    pc = make_asset(alice, acme)
    install(pc, firefox, "128.0")
    install(pc, hidden)
    install(make_asset(dave, globex, name="G1"), firefox, "128.0")
    install(make_asset(dave, globex, name="G2"), firefox, "115.0")
    caller = api.as_(alice)

    assert ids(caller.get("/software")) == [firefox.pk]
    assert ids(caller.get("/software", {"hidden": True})) == [firefox.pk, hidden.pk]
    assert ids(caller.get("/software", {"q": "fire"})) == [firefox.pk]
    assert ids(caller.get("/software", {"publisher": firefox.publisher_id})) == [firefox.pk]
    detail = caller.get(f"/software/{firefox.pk}").json()
    assert detail["publisher"]["name"] == "Mozilla" and detail["installation_count"] == 1
    assert {v["version"]: v["installation_count"] for v in detail["versions"]} == {
        "115.0": 0,
        "128.0": 1,
    }
    assert api.as_(dave).get(f"/software/{firefox.pk}").json()["installation_count"] == 2


def test_products_only_on_another_clients_machines_are_not_shown(
    api, alice, acme, bob, charlie, dave, globex
):
    internal = make_product("Acme Billing", "Acme")
    bare = make_product("Catalogue only", "Nobody")
    install(make_asset(alice, acme, user=bob), internal)
    for outsider in (charlie, dave):
        caller = api.as_(outsider)
        assert internal.pk not in ids(caller.get("/software"))
        assert caller.get(f"/software/{internal.pk}").status_code == 404
    # Staff see bare catalogue entries; a requester only what is on their machines.
    assert set(ids(api.as_(alice).get("/software"))) == {internal.pk, bare.pk}
    assert ids(api.as_(bob).get("/software")) == [internal.pk]
    assert ids(api.as_(charlie).get("/software")) == []
    assert api.as_(charlie).get(f"/software/{bare.pk}").status_code == 404


def test_the_openapi_document_describes_every_assets_endpoint(api, alice):
    paths = api.as_(alice).get("/openapi.json").json()["paths"]
    expected = {
        "/api/v1/assets": {"get", "post"},
        "/api/v1/assets/{asset_id}": {"get", "patch"},
        "/api/v1/assets/{asset_id}/history": {"get"},
        "/api/v1/assets/{asset_id}/components": {"get"},
        "/api/v1/assets/{asset_id}/installations": {"get"},
        "/api/v1/software": {"get"},
        "/api/v1/software/{product_id}": {"get"},
        "/api/v1/installations": {"get"},
        "/api/v1/licences": {"get", "post"},
        "/api/v1/licences/compliance": {"get"},
        "/api/v1/licences/{licence_id}": {"get", "patch"},
        "/api/v1/licences/{licence_id}/assignments": {"post"},
        "/api/v1/licences/{licence_id}/assignments/{assignment_id}": {"delete"},
        "/api/v1/asset-contracts": {"get", "post"},
        "/api/v1/asset-contracts/{contract_id}": {"get", "patch"},
        "/api/v1/asset-contracts/{contract_id}/assets": {"put"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
        for method in methods:
            operation = paths[path][method]
            assert operation["summary"] and operation["description"], (path, method)
            assert {"200", "201"} & set(operation["responses"]) and "404" in operation["responses"]


def test_the_documented_schemas_are_these_endpoints_own(api, alice):
    # The document names schemas by class name: one of another room with the same name
    # would silently take the place of ours, or ours of theirs.
    from ninja import Schema

    from guichet.assets.api import asset_schemas, contracts, licence_schemas, software

    components = api.as_(alice).get("/openapi.json").json()["components"]["schemas"]
    modules = (asset_schemas, contracts, licence_schemas, software)
    ours = {
        name: cls
        for module in modules
        for name, cls in vars(module).items()
        if isinstance(cls, type) and issubclass(cls, Schema) and cls.__module__ == module.__name__
    }
    documented = [name for name in ours if name in components]
    assert len(documented) > 20
    for name in documented:
        properties = set(components[name].get("properties", {}))
        assert properties == set(ours[name].model_fields), name
