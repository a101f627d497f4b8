"""Bulk changes from the asset list: one change for every selected asset, all or nothing, on
visible assets only."""

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import make_location, make_organisation
from guichet.assets.models import Asset, AssetEvent
from guichet.assets.tests.factories import make_asset, reload

pytestmark = pytest.mark.django_db

BULK = reverse("assets:list-bulk")
LIST = reverse("assets:list")


@pytest.fixture
def initech(support_team):
    """A second client served by alice's team."""
    organisation = make_organisation("Initech")
    support_team.organisations.add(organisation)
    return organisation


@pytest.fixture
def pcs(alice, acme):
    return [make_asset(alice, acme, name=f"PC-{n}") for n in range(3)]


def _post(client, assets, change: str, **values):
    data = {"ids": [a.pk for a in assets], "change": change, "next": f"{LIST}?kind=computer"}
    return client.post(BULK, {**data, **values})


def test_it_sets_the_state_of_every_selected_asset(alice_client, pcs):
    response = _post(alice_client, pcs[:2], "state", state="in_repair")
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?kind=computer"
    assert [reload(a).state for a in pcs] == ["in_repair", "in_repair", "in_use"]
    assert AssetEvent.objects.filter(field="state").count() == 2
    body = alice_client.get(response["Location"]).content.decode()
    assert "2 assets changed." in body


def test_it_moves_assigns_and_clears(alice_client, acme, bob, pcs):
    paris = make_location(acme, "Paris")
    assert _post(alice_client, pcs, "location", location=paris.pk).status_code == 302
    assert {reload(a).location_id for a in pcs} == {paris.pk}
    assert _post(alice_client, pcs, "user", user=bob.pk).status_code == 302
    assert {reload(a).user_id for a in pcs} == {bob.pk}
    assert _post(alice_client, pcs, "location", location="none").status_code == 302
    assert {reload(a).location_id for a in pcs} == {None}


def test_it_moves_assets_to_another_served_organisation(alice_client, initech, pcs):
    assert _post(alice_client, pcs, "organisation", organisation=initech.pk).status_code == 302
    assert {reload(a).organisation_id for a in pcs} == {initech.pk}


def test_one_refusal_changes_nothing_and_keeps_the_selection(
    alice_client, alice, acme, initech, pcs
):
    paris = make_location(acme, "Paris")
    elsewhere = make_asset(alice, initech, name="Initech PC")
    response = _post(alice_client, [*pcs, elsewhere], "location", location=paris.pk)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Nothing was changed." in body
    assert "This location is not one of the organisation&#x27;s sites." in body
    assert {reload(a).location_id for a in [*pcs, elsewhere]} == {None}
    assert not AssetEvent.objects.filter(field="location").exists()
    for asset in pcs:
        assert f'name="ids" value="{asset.pk}" checked' in body
    assert '<details class="bulk-actions-box" open>' in body


@pytest.mark.parametrize(
    ("change", "values", "message"),
    [
        ("state", {}, "Choose the new value."),
        ("state", {"state": "melted"}, "Select a valid choice."),
        ("user", {"user": "abc"}, "Choose someone from the list."),
        ("organisation", {"organisation": "999999"}, "Select a valid choice."),
        ("colour", {}, "Select a valid choice."),
    ],
)
def test_bad_changes_are_refused_with_a_message(alice_client, pcs, change, values, message):
    response = _post(alice_client, pcs, change, **values)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert {reload(a).state for a in pcs} == {"in_use"}


def test_nothing_selected_is_refused(alice_client):
    response = alice_client.post(BULK, {"change": "state", "state": "retired"})
    assert response.status_code == 400
    assert "Select at least one asset." in response.content.decode()


def test_people_of_another_client_cannot_be_assigned(alice_client, charlie, pcs):
    response = _post(alice_client, pcs, "user", user=charlie.pk)
    assert response.status_code == 400
    assert {reload(a).user_id for a in pcs} == {None}


def test_an_outsider_technician_changes_none_of_acmes_assets(dave_client, dave, globex, pcs):
    own = make_asset(dave, globex, name="Globex PC")
    response = _post(dave_client, [*pcs, own], "state", state="retired")
    # Acme's ids are filtered out as unknown: only Globex's asset changes.
    assert response.status_code == 302
    assert reload(own).state == "retired"
    assert {reload(a).state for a in pcs} == {"in_use"}
    response = _post(dave_client, pcs, "state", state="retired")
    assert response.status_code == 400
    assert "None of the selected assets was found." in response.content.decode()
    assert set(
        Asset.objects.filter(pk__in=[a.pk for a in pcs]).values_list("state", flat=True)
    ) == {"in_use"}


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_get_a_404(request, who, pcs):
    response = _post(request.getfixturevalue(who), pcs, "state", state="retired")
    assert response.status_code == 404
    assert {reload(a).state for a in pcs} == {"in_use"}


def test_the_return_address_stays_on_the_list(alice_client, pcs):
    data = {"ids": [pcs[0].pk], "change": "state", "state": "in_stock",
            "next": "https://evil.example/assets/"}  # fmt: skip
    response = alice_client.post(BULK, data)
    assert response["Location"] == LIST
