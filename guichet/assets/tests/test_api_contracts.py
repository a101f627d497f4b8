"""The asset contracts API (`/asset-contracts`): create, change, the assets covered, and
what requesters and outsiders get."""

import json

import pytest

from guichet.accounts.tests.factories import make_user
from guichet.assets import actions
from guichet.assets.choices import AssetEventKind, Source
from guichet.assets.models import Contract
from guichet.assets.tests.factories import make_asset
from guichet.tickets.tests.api_helpers import BASE, ApiCaller

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    return ApiCaller(client)


def put(caller: ApiCaller, path: str, body):
    return caller.client.put(
        BASE + path, json.dumps(body), content_type="application/json", **caller.headers
    )


def make_contract(actor, organisation, **fields) -> Contract:
    values = {"kind": "maintenance", "name": "Maintenance", "starts_on": "2026-01-01",
              "ends_on": "2027-01-01", **fields}  # fmt: skip
    return actions.create_contract(actor=actor, organisation=organisation, **values)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["items"]]


def test_staff_create_read_and_change_a_contract(api, alice, acme):
    as_alice = api.as_(alice)
    response = as_alice.post(
        "/asset-contracts",
        {"kind": "leasing", "name": "Lease 2026", "organisation": acme.pk, "supplier": "Leaser",
         "starts_on": "2026-01-01", "ends_on": "2028-12-31", "price": "4800.00",
         "alert_days": 60},
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["supplier"]["name"] == "Leaser" and created["alert_days"] == 60
    assert created["assets"] == [] and created["asset_count"] == 0

    path = f"/asset-contracts/{created['id']}"
    patched = as_alice.patch(path, {"ends_on": "2029-06-30", "number": "L-42"})
    assert patched.status_code == 200, patched.json()
    assert (patched.json()["ends_on"], patched.json()["number"]) == ("2029-06-30", "L-42")
    assert as_alice.get(path).json()["name"] == "Lease 2026"


def test_bad_contract_input_is_a_422_naming_the_fields(api, alice, acme, globex):
    valid = {"kind": "support", "name": "S", "organisation": acme.pk, "starts_on": "2026-01-01",
             "ends_on": "2027-01-01"}  # fmt: skip
    as_alice = api.as_(alice)
    for body, field in [
        ({"ends_on": "2025-01-01"}, "ends_on"),
        ({"kind": "handshake"}, "kind"),
        ({"organisation": globex.pk}, "organisation"),
        ({"alert_days": -1}, "alert_days"),
        ({"notice_days": 10**9}, "notice_days"),
        ({"price": "1e20"}, "price"),
        ({"starts_on": "10000-01-01"}, "starts_on"),
        ({"name": ""}, "name"),
        ({"number": "n\x00"}, "number"),
        ({"assets": [1]}, "assets"),
    ]:
        response = as_alice.post("/asset-contracts", {**valid, **body})
        assert response.status_code == 422, (body, response.json())
        assert field in response.json()["errors"], (body, response.json())
    assert not Contract.objects.exists()


def test_the_assets_covered_are_set_at_once(api, alice, acme, dave, globex):
    contract = make_contract(alice, acme)
    one, two = make_asset(alice, acme, name="A"), make_asset(alice, acme, name="B")
    as_alice = api.as_(alice)
    path = f"/asset-contracts/{contract.pk}/assets"

    response = put(as_alice, path, {"assets": [two.pk, one.pk]})
    assert response.status_code == 200, response.json()
    assert [a["name"] for a in response.json()["assets"]] == ["A", "B"]
    assert response.json()["asset_count"] == 2
    covered = one.events.filter(kind=AssetEventKind.CONTRACT)
    assert list(covered.values_list("source", flat=True)) == [Source.API]
    assert as_alice.get(f"/assets/{one.pk}").json()["contracts"][0]["id"] == contract.pk

    elsewhere = make_asset(dave, globex)
    refused = put(as_alice, path, {"assets": [one.pk, elsewhere.pk]})
    assert refused.status_code == 422 and "assets" in refused.json()["errors"]
    assert put(as_alice, path, {"assets": [2**64]}).status_code == 422
    assert put(as_alice, path, [one.pk]).status_code == 422
    assert set(contract.assets.values_list("pk", flat=True)) == {one.pk, two.pk}

    emptied = put(as_alice, path, {"assets": []})
    assert emptied.status_code == 200 and emptied.json()["assets"] == []


def test_the_list_filters_and_pages(api, alice, acme):
    asset = make_asset(alice, acme)
    first = make_contract(alice, acme, name="Old", ends_on="2026-06-30", number="N-1")
    second = make_contract(alice, acme, name="Support", kind="support")
    third = make_contract(alice, acme, name="Lease", kind="leasing")
    actions.set_contract_assets(contract=second, actor=alice, assets=[asset])
    caller = api.as_(alice)
    page = caller.get("/asset-contracts", {"limit": 2}).json()
    rest = caller.get("/asset-contracts", {"limit": 2, "cursor": page["next_cursor"]}).json()
    assert [c["id"] for c in page["items"] + rest["items"]] == [third.pk, second.pk, first.pk]
    assert ids(caller.get("/asset-contracts", {"kind": "support"})) == [second.pk]
    assert ids(caller.get("/asset-contracts", {"asset": asset.pk})) == [second.pk]
    assert ids(caller.get("/asset-contracts", {"q": "n-1"})) == [first.pk]
    assert ids(caller.get("/asset-contracts", {"ends_before": "2026-12-31"})) == [first.pk]
    assert ids(caller.get("/asset-contracts", {"organisation": acme.pk, "limit": 1})) == [third.pk]
    for bad in ({"kind": "x"}, {"cursor": "x"}, {"ends_before": "soon"}, {"asset": -1}):
        assert caller.get("/asset-contracts", bad).status_code == 422, bad


def test_the_list_reads_a_page_in_a_few_queries(api, alice, acme, django_assert_max_num_queries):
    asset = make_asset(alice, acme)
    for i in range(55):
        contract = make_contract(alice, acme, name=f"C{i}", supplier=f"Supplier {i % 5}")
        actions.set_contract_assets(contract=contract, actor=alice, assets=[asset])
    caller = api.as_(alice)
    caller.get("/asset-contracts")
    with django_assert_max_num_queries(5):
        response = caller.get("/asset-contracts", {"limit": 50})
    items = response.json()["items"]
    assert len(items) == 50 and {i["asset_count"] for i in items} == {1}


def test_the_page_sent_as_built_is_the_documented_schema(api, alice, acme):
    from ninja.responses import NinjaJSONEncoder

    from guichet.assets.api.contracts import AssetContractPage

    make_contract(alice, acme, supplier="Shop", price="10.50")
    make_contract(alice, acme, name="Bare")
    body = api.as_(alice).get("/asset-contracts").json()
    validated = AssetContractPage.model_validate(body).model_dump()
    assert json.loads(json.dumps(validated, cls=NinjaJSONEncoder)) == body


def test_requesters_see_none_and_managers_read_their_own(api, alice, acme, bob):
    contract = make_contract(alice, acme)
    asset = make_asset(alice, acme, user=bob)
    actions.set_contract_assets(contract=contract, actor=alice, assets=[asset])
    as_bob = api.as_(bob)
    assert ids(as_bob.get("/asset-contracts")) == []
    assert as_bob.get(f"/asset-contracts/{contract.pk}").status_code == 404
    assert as_bob.get(f"/assets/{asset.pk}").json()["contracts"] == []

    manager = api.as_(make_user("maria", organisation=acme, is_org_manager=True))
    assert ids(manager.get("/asset-contracts")) == [contract.pk]
    path = f"/asset-contracts/{contract.pk}"
    assert manager.get(path).json()["assets"] == [{"id": asset.pk, "name": asset.name}]
    assert manager.patch(path, {"name": "Mine"}).status_code == 403
    assert put(manager, f"{path}/assets", {"assets": []}).status_code == 403
    body = {"kind": "support", "name": "S", "organisation": acme.pk, "starts_on": "2026-01-01",
            "ends_on": "2027-01-01"}  # fmt: skip
    assert manager.post("/asset-contracts", body).status_code == 403
    assert Contract.objects.get().name == "Maintenance" and contract.assets.count() == 1


def test_outsiders_get_404_and_empty_lists_on_every_contract_endpoint(
    api, alice, acme, charlie, dave
):
    contract = make_contract(alice, acme)
    asset = make_asset(alice, acme)
    for outsider in (charlie, dave):
        caller = api.as_(outsider)
        assert ids(caller.get("/asset-contracts")) == []
        assert ids(caller.get("/asset-contracts", {"organisation": acme.pk})) == []
        path = f"/asset-contracts/{contract.pk}"
        assert caller.get(path).status_code == 404
        assert caller.patch(path, {"name": "Mine"}).status_code == 404
        assert put(caller, f"{path}/assets", {"assets": [asset.pk]}).status_code == 404
    body = {"kind": "support", "name": "S", "organisation": acme.pk, "starts_on": "2026-01-01",
            "ends_on": "2027-01-01"}  # fmt: skip
    response = api.as_(dave).post("/asset-contracts", body)
    assert response.status_code == 422 and "organisation" in response.json()["errors"]
    assert Contract.objects.get().name == "Maintenance" and not contract.assets.exists()


def test_service_contracts_keep_their_own_path(api, root, acme):
    # `/contracts` is the service contracts' API; the asset contracts answer elsewhere.
    make_contract(root, acme, name="Printer maintenance")
    service = api.as_(root).get("/contracts")
    assert service.status_code == 200
    assert "Printer maintenance" not in {c["name"] for c in service.json()}
    assets = api.as_(root).get("/asset-contracts").json()["items"]
    assert [c["name"] for c in assets] == ["Printer maintenance"]
