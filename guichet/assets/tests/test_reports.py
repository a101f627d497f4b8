"""The fleet report: its figures on a small fleet, the page, the CSV downloads, and who may
read them."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guichet.assets import actions
from guichet.assets.models import Asset, Component
from guichet.assets.reports import fleet as figures
from guichet.assets.reports.fleet import Fleet, FleetFilters
from guichet.assets.tests import factories
from guichet.assets.tests.factories import make_asset, make_product, make_version

pytestmark = pytest.mark.django_db

# The pages read the clock, so the fleet is dated from it.
NOW = timezone.now()
YEAR = timezone.localdate().year
URL = "/assets/reports/"


def seen(asset, days_ago: int) -> None:
    Asset.objects.filter(pk=asset.pk).update(last_inventory_at=NOW - timedelta(days=days_ago))


def volume(asset, free: int, size: int, label: str = "C:") -> Component:
    return Component.objects.create(asset=asset, kind="volumes", identity=label, label=label,
                                    size=size, free=free, first_seen=NOW)  # fmt: skip


def install(asset, product) -> None:
    factories.install(asset, make_version(product), at=NOW)


@pytest.fixture
def small_fleet(alice, acme):
    """Three Acme computers, a retired one, a monitor; a Globex computer (by root)."""
    win11 = {"os_name": "Windows 11 Pro", "os_version": "23H2"}
    one = make_asset(alice, acme, name="ACME-1", manufacturer="Dell",
                     purchase_date=date(YEAR - 1, 6, 1),
                     warranty_end=NOW.date() - timedelta(days=30), **win11)  # fmt: skip
    two = make_asset(alice, acme, name="ACME-2", manufacturer="Dell",
                     purchase_date=date(YEAR - 5, 2, 1), os_name="Debian GNU/Linux",
                     os_version="12")  # fmt: skip
    three = make_asset(alice, acme, name="ACME-3", manufacturer="HP",
                       purchase_date=date(YEAR - 8, 5, 5), **win11)  # fmt: skip
    gone = make_asset(alice, acme, name="ACME-OLD", manufacturer="HP", warranty_end="2020-01-01",
                      **win11)  # fmt: skip
    actions.update_asset(asset=gone, actor=alice, state="retired")
    make_asset(alice, acme, name="SCREEN-1", kind="monitor", manufacturer="Dell")
    seen(one, 3)
    seen(two, 45)
    seen(gone, 400)
    volume(one, free=5_000, size=100_000)  # 5 %: nearly full
    volume(two, free=40_000, size=100_000)
    volume(gone, free=1, size=100_000)  # retired: left out
    office = make_product("Office", "Microsoft")
    for asset in (one, two, three):
        install(asset, office)
    actions.create_licence(actor=alice, organisation=acme, product=office, name="Office",
                           kind="per_device", seats=2)  # fmt: skip
    install(one, make_product("WinRAR", "RARLAB"))
    return {"one": one, "two": two, "three": three}


@pytest.fixture
def globex_fleet(root, globex):
    pc = make_asset(root, globex, name="GLOBEX-SECRET", manufacturer="Lenovo",
                    warranty_end="2020-01-01", os_name="Windows 7")  # fmt: skip
    seen(pc, 90)
    volume(pc, free=1, size=1000)
    install(pc, make_product("Globex Tool", "Globex"))
    return pc


def fleet_of(user, **filters) -> Fleet:
    return Fleet(user, FleetFilters(now=NOW, **filters))


def test_it_counts_active_computers_by_operating_system(alice, small_fleet):
    table = figures.systems(fleet_of(alice))
    assert table.rows == [("Windows 11 Pro", "23H2", 2), ("Debian GNU/Linux", "12", 1)]
    assert table.total == ("All computers", "", 3)


def test_it_counts_active_assets_by_manufacturer_and_age(alice, small_fleet):
    fleet = fleet_of(alice)
    assert figures.manufacturers(fleet).rows == [("Dell", 3), ("HP", 1)]
    ages = {label: n for label, _years, n in figures.ages(fleet).rows}
    assert ages == {"0 to 1 years": 1, "2 to 3 years": 0, "4 to 5 years": 1,
                    "6 years or more": 1, "Purchase date unknown": 1}  # fmt: skip


def test_machines_not_seen_depend_on_the_days_asked_for(alice, small_fleet):
    names = [row[0] for row in figures.not_seen(fleet_of(alice)).rows]
    assert names == ["ACME-2"]
    assert figures.not_seen(fleet_of(alice, days=60)).rows == []
    assert [r[0] for r in figures.not_seen(fleet_of(alice, days=1)).rows] == ["ACME-2", "ACME-1"]


def test_warranty_and_full_disks_keep_to_active_machines(alice, small_fleet):
    fleet = fleet_of(alice)
    assert [row[0] for row in figures.out_of_warranty(fleet).rows] == ["ACME-1"]
    disks = figures.full_disks(fleet).rows
    assert [(row[0], row[3], row[6]) for row in disks] == [("ACME-1", "C:", 5.0)]
    assert figures.disks_by_organisation(fleet).rows == [("Acme", 1)]


def test_lists_are_capped_on_screen_and_counted(alice, small_fleet):
    table = figures.not_seen(fleet_of(alice, days=1), cap=1, total=2)
    assert (len(table.rows), table.more) == (1, 1)


def test_licence_figures_show_the_compliance_and_the_unlicensed_software(alice, small_fleet):
    fleet = fleet_of(alice)
    assert figures.licence_compliance(fleet).rows == [
        ("Office", "Acme", 3, 2, -1, "Under-licensed")
    ]
    assert figures.unlicensed(fleet).rows == [("WinRAR", "RARLAB", "Acme", 1)]


def test_the_page_shows_each_figure_as_a_chart_and_a_table(alice_client, small_fleet):
    response = alice_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 8
    assert "<title id=" in html and "<desc id=" in html
    for text in ("Windows 11 Pro", "ACME-2", "Under-licensed", "WinRAR", "Download"):
        assert text in html
    assert reverse("assets:report-csv", args=["systems"]) in html


def test_the_organisation_filter_narrows_the_figures(root, small_fleet, globex_fleet, acme):
    root_client = _client(root)
    everything = root_client.get(URL).content.decode()
    assert "GLOBEX-SECRET" in everything and "ACME-2" in everything
    acme_only = root_client.get(URL, {"organisation": acme.pk}).content.decode()
    assert "GLOBEX-SECRET" not in acme_only and "ACME-2" in acme_only
    assert reverse("assets:anomalies", args=[acme.pk]) in acme_only


def test_bad_filters_are_named_beside_their_field(alice_client, small_fleet):
    response = alice_client.get(URL, {"days": "soon", "organisation": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="err_days"' in html and 'aria-describedby="err_days"' in html
    assert 'id="err_organisation"' in html
    assert "ACME-2" not in html


def test_a_csv_has_a_header_and_every_row(alice_client, small_fleet):
    response = alice_client.get(reverse("assets:report-csv", args=["not-seen"]), {"days": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[0] == "Machine,Reference,Organisation,Last inventory"
    assert [line.split(",")[0] for line in lines[1:]] == ["ACME-2", "ACME-1"]


def test_a_french_readers_csv_uses_semicolons_and_decimal_commas(alice, small_fleet):
    alice.language = "fr"
    alice.save(update_fields=["language"])
    body = _client(alice).get(reverse("assets:report-csv", args=["disks"])).content.decode()
    rows = body.lstrip("\ufeff").splitlines()
    assert rows[1].split(";")[-1] == "5,0"


def test_an_unknown_table_is_a_404(alice_client):
    assert alice_client.get("/assets/reports/nothing.csv").status_code == 404


def test_outsiders_get_404s_and_anonymous_visitors_the_login(
    client, charlie_client, bob_client, small_fleet
):
    for outsider in (charlie_client, bob_client):
        assert outsider.get(URL).status_code == 404
        assert outsider.get("/assets/reports/systems.csv").status_code == 404
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_of_another_organisation_see_none_of_its_figures(
    dave_client, acme, small_fleet, globex_fleet
):
    html = dave_client.get(URL).content.decode()
    assert "GLOBEX-SECRET" in html
    for secret in ("ACME-1", "ACME-2", "Office", "WinRAR", "Acme"):
        assert secret not in html
    refused = dave_client.get(URL, {"organisation": acme.pk})
    assert refused.status_code == 400 and "ACME-1" not in refused.content.decode()
    csv = dave_client.get("/assets/reports/not-seen.csv", {"days": "1"}).content.decode()
    assert "GLOBEX-SECRET" in csv and "ACME" not in csv
    assert dave_client.get("/assets/reports/compliance.csv").content.decode().count("\n") == 1


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def _more_machines(alice, acme, start: int, count: int) -> None:
    office = make_product("Office", "Microsoft")
    for i in range(start, start + count):
        pc = make_asset(alice, acme, name=f"BULK-{i}", manufacturer=f"Maker {i}",
                        os_name=f"System {i}", purchase_date=date(2010 + i % 15, 1, 1),
                        warranty_end="2020-01-01")  # fmt: skip
        seen(pc, 100)
        volume(pc, free=1, size=1000)
        install(pc, office)
        install(pc, make_product(f"Tool {i}", "P"))
        actions.create_licence(actor=alice, organisation=acme, product=make_product(f"Tool {i}",
                               "P"), name=f"Tool {i}", kind="per_device", seats=1)  # fmt: skip


def test_the_number_of_queries_does_not_grow_with_the_fleet(
    alice, acme, small_fleet, django_assert_max_num_queries
):
    client = _client(alice)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _more_machines(alice, acme, 0, 30)
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)
    assert "BULK-29" in response.content.decode()
