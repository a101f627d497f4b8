"""The asset list through HTTP: what each filter keeps, keyset pages, bad values, the query
count, saved views; and an outsider never sees any of Acme's assets."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.tests.factories import make_location, make_organisation
from guichet.assets import actions
from guichet.assets.actions.common import record
from guichet.assets.choices import AssetEventKind, Source
from guichet.assets.models import Asset, AssetView, Manufacturer
from guichet.assets.tests.factories import make_asset

pytestmark = pytest.mark.django_db

LIST = reverse("assets:list")
SAVE = reverse("assets:saved-view-create")


def shown(response) -> list[int]:
    return [int(pk) for pk in re.findall(r'data-asset="(\d+)"', response.content.decode())]


@pytest.fixture
def paris(acme):
    return make_location(acme, "Paris")


@pytest.fixture
def fleet(alice, acme, bob, paris):
    """A few Acme assets, each picked out by one filter."""
    today = timezone.localdate()
    return {
        "laptop": make_asset(alice, acme, name="PC-Compta", kind="computer", subtype="laptop",
                             serial="CZC1234", inventory_number="INV-100", manufacturer="HP",
                             user=bob, location=paris.pk),
        "phone": make_asset(alice, acme, name="Standard accueil", kind="phone",
                            subtype="desk_phone", state="in_stock", manufacturer="Yealink"),
        "printer": make_asset(alice, acme, name="Imprimante RDC", kind="printer",
                              warranty_end=today - timedelta(days=1), serial="PRN-77"),
        "monitor": make_asset(alice, acme, name="Ecran 27", kind="monitor",
                              warranty_end=today + timedelta(days=30), user=alice),
    }  # fmt: skip


def test_staff_see_their_organisations_assets_newest_first(alice_client, fleet):
    response = alice_client.get(LIST)
    assert response.status_code == 200
    assert shown(response) == sorted((a.pk for a in fleet.values()), reverse=True)
    body = response.content.decode()
    assert "PC-Compta" in body and "INV-100" in body and "CZC1234" in body
    assert 'aria-current="page">Assets<' in body


def test_an_outsider_technician_sees_none_of_acmes_assets(dave_client, dave, globex, fleet):
    own = make_asset(dave, globex, name="Globex server")
    response = dave_client.get(LIST)
    assert response.status_code == 200
    assert shown(response) == [own.pk]
    assert "PC-Compta" not in response.content.decode()
    # Nor by naming Acme in the filters: it is not one of the choices.
    organisation = fleet["laptop"].organisation_id
    assert dave_client.get(LIST, {"organisation": organisation}).status_code == 400


@pytest.mark.parametrize("who", ["bob_client", "charlie_client"])
def test_requesters_never_reach_the_list(request, who, fleet):
    assert request.getfixturevalue(who).get(LIST).status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "compta"}, ["laptop"]),  # name contains, whatever the case
        ({"q": "czc12"}, ["laptop"]),  # serial, typed in lower case
        ({"q": "INV-1"}, ["laptop"]),  # inventory number
        ({"q": "1234"}, ["laptop"]),  # the middle of a serial
        ({"q": "compta 1234"}, ["laptop"]),  # every word, each in any of the three
        ({"q": "compta 77"}, []),
        ({"q": "pc"}, ["laptop"]),  # under three characters: no trigram, still found
        ({"q": 'RDC" OR "PC'}, []),  # quotes are text, not query syntax
        ({"kind": "phone"}, ["phone"]),
        ({"subtype": "laptop"}, ["laptop"]),
        ({"state": "in_stock"}, ["phone"]),
        ({"manufacturer": "HP"}, ["laptop"]),
        ({"warranty_ended": "1"}, ["printer"]),
        ({"user": "me"}, ["monitor"]),
        ({"user": "none"}, ["phone", "printer"]),
        ({"kind": "computer", "state": "in_stock"}, []),
        ({"kind": "printer", "warranty_ended": "on", "q": "PRN"}, ["printer"]),
    ],
)
def test_each_filter_keeps_its_assets(alice_client, fleet, params, expected):
    if params.get("manufacturer") == "HP":
        params = {"manufacturer": fleet["laptop"].manufacturer_id}
    response = alice_client.get(LIST, params)
    assert response.status_code == 200
    assert sorted(shown(response)) == sorted(fleet[name].pk for name in expected)


def test_filters_by_organisation_location_and_user(alice_client, alice, acme, bob, paris,
                                                  support_team, fleet):  # fmt: skip
    initech = make_organisation("Initech")
    support_team.organisations.add(initech)
    other = make_asset(alice, initech, name="Initech PC")
    assert shown(alice_client.get(LIST, {"organisation": initech.pk})) == [other.pk]
    assert shown(alice_client.get(LIST, {"location": paris.pk})) == [fleet["laptop"].pk]
    response = alice_client.get(LIST, {"user": bob.pk})
    assert shown(response) == [fleet["laptop"].pk]
    # The person filtered on stays chosen even when no organisation narrows the list.
    assert f'<option value="{bob.pk}" selected>' in response.content.decode()


def test_not_seen_for_n_days_keeps_machines_whose_last_inventory_is_older(alice_client, fleet):
    now = timezone.now()
    Asset.objects.filter(pk=fleet["laptop"].pk).update(last_inventory_at=now - timedelta(days=40))
    Asset.objects.filter(pk=fleet["phone"].pk).update(last_inventory_at=now - timedelta(days=2))
    assert shown(alice_client.get(LIST, {"not_seen": 30})) == [fleet["laptop"].pk]
    assert sorted(shown(alice_client.get(LIST, {"not_seen": 1}))) == sorted(
        [fleet["laptop"].pk, fleet["phone"].pk]
    )


def test_has_flagged_changes_keeps_assets_with_unreviewed_flags(alice_client, alice, fleet):
    laptop, phone = fleet["laptop"], fleet["phone"]
    now = timezone.now()
    record(laptop, None, AssetEventKind.COMPONENT_REMOVED, source=Source.AGENT, at=now,
           field="memories", old="8192 MB", flagged=True)  # fmt: skip
    reviewed = record(phone, None, AssetEventKind.COMPONENT_REMOVED, source=Source.AGENT,
                      at=now, field="storages", old="SSD", flagged=True)  # fmt: skip
    reviewed.reviewed_at = now
    reviewed.save(update_fields=["reviewed_at"])
    response = alice_client.get(LIST, {"flagged": "1"})
    assert shown(response) == [laptop.pk]
    assert "Needs review" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "melted"},
        {"state": "lost"},
        {"not_seen": "abc"},
        {"not_seen": "0"},
        {"organisation": "999999"},
        {"location": "x"},
        {"user": "99999999999999999999999"},
        {"manufacturer": "-1"},
        {"q": "x" * 201},
        {"cursor": "not-a-cursor"},
    ],
)
def test_bad_filter_values_give_a_clear_message_not_a_500(alice_client, fleet, params):
    response = alice_client.get(LIST, params)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The list cannot be shown:" in body
    assert 'class="errorlist' in body


def test_pages_follow_each_other_newest_first(alice_client, alice, acme):
    assets = [make_asset(alice, acme, name=f"PC-{n:03}") for n in range(55)]
    first = alice_client.get(LIST, {"kind": "computer"})
    assert shown(first) == [a.pk for a in reversed(assets)][:50]
    next_url = re.search(r'rel="next" href="([^"]+)"', first.content.decode()).group(1)
    assert "kind=computer" in next_url
    second = alice_client.get(next_url.replace("&amp;", "&"))
    assert shown(second) == [a.pk for a in reversed(assets)][50:]
    assert 'rel="prev"' in second.content.decode()


def test_htmx_gets_the_results_only(alice_client, fleet):
    response = alice_client.get(LIST, {"kind": "phone"}, HTTP_HX_REQUEST="true",
                                HTTP_HX_TARGET="asset-results")  # fmt: skip
    body = response.content.decode()
    assert shown(response) == [fleet["phone"].pk]
    assert "<h1>" not in body and 'id="asset-status"' in body


def test_the_query_count_does_not_grow_with_the_rows(
    alice_client, alice, acme, bob, paris, django_assert_max_num_queries
):
    for n in range(60):
        make_asset(alice, acme, name=f"PC-{n}", user=bob, location=paris.pk, manufacturer="HP",
                   inventory_number=f"INV-{n}")  # fmt: skip
    alice_client.get(LIST)  # the reference cache is read once per process
    with django_assert_max_num_queries(12):
        response = alice_client.get(LIST, {"manufacturer": "", "q": "PC"})
    assert len(shown(response)) == 50


# --- Saved views ---------------------------------------------------------------------------


def test_it_saves_the_current_filters_under_a_name(alice_client, alice, fleet):
    response = alice_client.post(SAVE, {"name": "Phones", "query": "kind=phone&q=&cursor=abc"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?kind=phone"
    view = AssetView.objects.get(user=alice)
    assert (view.name, view.query) == ("Phones", "kind=phone")


def test_the_list_offers_to_save_its_filters_and_lists_the_views(alice_client, alice, fleet):
    AssetView.objects.create(user=alice, name="Stock", query="state=in_stock")
    body = alice_client.get(LIST, {"state": "in_stock", "kind": ""}).content.decode()
    assert 'name="query" value="state=in_stock"' in body
    view = AssetView.objects.get()
    assert reverse("assets:saved-view", args=[view.pk]) in body
    assert 'aria-current="true">Stock<' in body


def test_a_saved_view_opens_its_filters(alice_client, alice, fleet):
    view = AssetView.objects.create(user=alice, name="Stock", query="state=in_stock")
    response = alice_client.get(reverse("assets:saved-view", args=[view.pk]), follow=True)
    assert response.redirect_chain[-1][0] == f"{LIST}?state=in_stock"
    assert shown(response) == [fleet["phone"].pk]


def test_saving_under_the_same_name_replaces_the_filters(alice_client, alice):
    AssetView.objects.create(user=alice, name="Mine", query="user=me")
    alice_client.post(SAVE, {"name": "Mine", "query": "user=me&kind=phone"})
    assert AssetView.objects.get().query == "user=me&kind=phone"


@pytest.mark.parametrize(
    "data",
    [{"name": "", "query": "kind=phone"}, {"name": "Bad", "query": "kind=melted"},
     {"name": "x" * 101, "query": ""}],
)  # fmt: skip
def test_a_view_with_bad_filters_or_no_name_is_refused(alice_client, data):
    response = alice_client.post(SAVE, data)
    assert response.status_code == 400
    assert not AssetView.objects.exists()


def test_views_are_ones_own(alice_client, dave_client, alice):
    view = AssetView.objects.create(user=alice, name="Stock", query="state=in_stock")
    assert dave_client.get(reverse("assets:saved-view", args=[view.pk])).status_code == 404
    delete = reverse("assets:saved-view-delete", args=[view.pk])
    assert dave_client.post(delete).status_code == 404
    assert "Stock" not in dave_client.get(LIST).content.decode()
    assert alice_client.post(delete).status_code == 302
    assert not AssetView.objects.exists()


def test_requesters_cannot_save_views(bob_client):
    assert bob_client.post(SAVE, {"name": "x", "query": ""}).status_code == 404


def test_warranty_end_says_when_it_ended(alice_client, fleet):
    body = alice_client.get(LIST, {"kind": "printer"}).content.decode()
    assert "ended</span>" in body


def test_the_text_filter_follows_renames_in_the_same_transaction(alice_client, alice, fleet):
    laptop = fleet["laptop"]
    actions.update_asset(asset=laptop, actor=alice, name="Poste Direction", serial="ZX-9001")
    assert shown(alice_client.get(LIST, {"q": "compta"})) == []
    assert shown(alice_client.get(LIST, {"q": "direction"})) == [laptop.pk]
    assert shown(alice_client.get(LIST, {"q": "x-900"})) == [laptop.pk]


def test_a_new_site_or_maker_is_offered_at_once(alice_client, acme, globex):
    """Sites and makers are read from the reference cache: a new one shows on the next page."""
    alice_client.get(LIST)
    Manufacturer.objects.create(name="Fujitsu")
    assert "Fujitsu" in alice_client.get(LIST).content.decode()
    acme.locations.create(name="Entrepôt de Lyon")
    globex.locations.create(name="Globex HQ")
    body = alice_client.get(LIST).content.decode()
    assert "Entrepôt de Lyon" in body
    assert "Globex HQ" not in body  # alice does not serve Globex
