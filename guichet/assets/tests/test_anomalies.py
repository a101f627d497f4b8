"""An organisation's anomalies summary: what it finds, in which language, and for whom."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from guichet.accounts.tests.factories import make_organisation, make_staff, make_team
from guichet.assets import actions
from guichet.assets.models import Asset, AssetEvent, Component
from guichet.assets.reports.anomalies import CAP, anomalies_html, findings, language_of
from guichet.assets.reports.systems import end_of_life
from guichet.assets.tests import factories
from guichet.assets.tests.factories import make_asset, make_product, make_version

pytestmark = pytest.mark.django_db

NOW = timezone.now()
TODAY = timezone.localdate()


def url(organisation, suffix: str = "/") -> str:
    return f"/assets/reports/anomalies/{organisation.pk}{suffix}"


def install(asset, product) -> None:
    factories.install(asset, make_version(product), at=NOW)


@pytest.fixture
def troubled(alice, acme):
    """An Acme fleet with one of each anomaly."""
    lost = make_asset(alice, acme, name="LOST-PC", inventory_number="INV-7")
    Asset.objects.filter(pk=lost.pk).update(last_inventory_at=NOW - timedelta(days=40))
    make_asset(alice, acme, name="OLD-WARRANTY", warranty_end=TODAY - timedelta(days=1))
    full = make_asset(alice, acme, name="FULL-DISK")
    Component.objects.create(asset=full, kind="volumes", identity="C:", label="C:",
                             size=100_000, free=2_000, first_seen=NOW)  # fmt: skip
    make_asset(alice, acme, name="SEVEN", os_name="Microsoft Windows 7 Professionnel",
               os_version="6.1.7601")  # fmt: skip
    make_asset(alice, acme, name="SMALL-RAM", memory_mb=2048)
    office, winrar = make_product("Office", "Microsoft"), make_product("WinRAR", "RARLAB")
    for asset in (lost, full):
        install(asset, office)
    install(full, winrar)
    actions.create_licence(actor=alice, organisation=acme, product=office, name="Office",
                           kind="per_device", seats=1)  # fmt: skip
    actions.create_contract(actor=alice, organisation=acme, kind="maintenance",
                            name="Dell ProSupport", starts_on=TODAY - timedelta(days=300),
                            ends_on=TODAY + timedelta(days=20))  # fmt: skip
    actions.create_contract(actor=alice, organisation=acme, kind="leasing", name="Far away",
                            starts_on=TODAY, ends_on=TODAY + timedelta(days=200))  # fmt: skip
    AssetEvent.objects.create(asset=full, kind="component_removed", field="memories",
                              old_value="8 GB", flagged=True, created_at=NOW)  # fmt: skip
    return acme


def found_pk(name: str) -> int:
    return Asset.objects.get(name=name).pk


def by_key(user, organisation, days: int = 30) -> dict:
    return {f.key: f for f in findings(user, organisation, now=NOW, days=days)}


def test_it_finds_one_of_each_anomaly(alice, troubled):
    found = by_key(alice, troubled)
    assert found["not-seen"].items[0][0] == "LOST-PC (INV-7)"
    assert found["warranty"].items[0][0].startswith("OLD-WARRANTY")
    assert found["disks"].items[0][:2] == (f"FULL-DISK (AS-{found_pk('FULL-DISK')})", "C:")
    assert found["old-systems"].items[0][0].startswith("SEVEN")
    assert found["memory"].items[0][0].startswith("SMALL-RAM")
    assert found["under-licensed"].items == [("Office", "2", "1", "1")]
    assert found["unlicensed"].items == [("WinRAR", "RARLAB", "1")]
    assert [c[0] for c in found["contracts"].items] == ["Dell ProSupport"]
    assert found["flagged"].items[0][:2] == (f"FULL-DISK (AS-{found_pk('FULL-DISK')})", "1")
    assert {f.key: f.count for f in found.values()} == {
        "not-seen": 1, "warranty": 1, "disks": 1, "under-licensed": 1, "unlicensed": 1,
        "old-systems": 1, "memory": 1, "contracts": 1, "flagged": 1,
    }  # fmt: skip


def test_the_days_without_inventory_are_the_readers_choice(alice, troubled):
    assert by_key(alice, troubled, days=60)["not-seen"].count == 0


def test_reviewed_changes_and_retired_machines_are_not_anomalies(alice, troubled):
    for asset in Asset.objects.filter(name__in=["SEVEN", "SMALL-RAM"]):
        actions.update_asset(asset=asset, actor=alice, state="retired")
    actions.review_flags(asset=Asset.objects.get(name="FULL-DISK"), actor=alice)
    found = by_key(alice, troubled)
    assert (found["old-systems"].count, found["memory"].count, found["flagged"].count) == (0, 0, 0)


def test_long_lists_are_cut_and_the_rest_counted(alice, acme):
    for i in range(CAP + 2):
        make_asset(alice, acme, name=f"PC-{i:02}", memory_mb=1024)
    memory = by_key(alice, acme)["memory"]
    assert (memory.count, len(memory.items), memory.more) == (CAP + 2, CAP, 2)
    html = anomalies_html(alice, acme, language="en", now=NOW)
    assert "And 2 more." in html


def test_a_french_clients_note_is_in_french(alice, troubled):
    assert troubled.language == "fr"
    html = anomalies_html(alice, troubled, language=language_of(troubled), now=NOW)
    assert '<html lang="fr">' in html
    assert "Contrat" in html  # the contracts' column
    months = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
              "septembre", "octobre", "novembre", "décembre")  # fmt: skip
    assert any(month in html for month in months)


def test_an_english_note_is_in_english(alice, troubled):
    html = anomalies_html(alice, troubled, language="en", now=NOW)
    assert '<html lang="en">' in html
    assert "Contract" in html and "Contrat" not in html
    assert "Machines not seen for 30 days" in html


def test_the_language_asked_for_wins_and_an_unknown_one_is_ignored(troubled):
    assert language_of(troubled) == "fr"
    assert language_of(troubled, "en") == "en"
    assert language_of(troubled, "xx") == "fr"


def test_the_page_shows_the_note_in_the_clients_language(alice_client, troubled):
    response = alice_client.get(url(troubled))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="fr"' in html and "LOST-PC" in html
    assert url(troubled, ".pdf") in html
    english = alice_client.get(url(troubled), {"lang": "en"}).content.decode()
    assert '<article class="anomalies" lang="en"' in english


def test_a_bad_number_of_days_is_named_beside_its_field(alice_client, troubled):
    response = alice_client.get(url(troubled), {"days": "0"})
    assert response.status_code == 400
    assert 'id="err_days"' in response.content.decode()
    assert alice_client.get(url(troubled, ".pdf"), {"days": "x"}).status_code == 400


def test_the_pdf_is_a_pdf(alice_client, troubled):
    response = alice_client.get(url(troubled, ".pdf"), {"lang": "en"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_outsiders_get_404s(client, bob_client, charlie_client, dave_client, troubled):
    for outsider in (bob_client, charlie_client, dave_client):
        assert outsider.get(url(troubled)).status_code == 404
        assert outsider.get(url(troubled, ".pdf")).status_code == 404
    assert client.get(url(troubled)).status_code == 302
    assert dave_client.get("/assets/reports/anomalies/999999/").status_code == 404


def test_the_note_holds_nothing_of_another_organisation(root, troubled, globex):
    secret = make_asset(root, globex, name="GLOBEX-SECRET", memory_mb=512,
                        os_name="Windows XP", warranty_end=date(2020, 1, 1))  # fmt: skip
    Asset.objects.filter(pk=secret.pk).update(last_inventory_at=NOW - timedelta(days=400))
    install(secret, make_product("Globex Tool", "Globex"))
    html = anomalies_html(root, troubled, language="en", now=NOW)
    assert "LOST-PC" in html
    assert "GLOBEX-SECRET" not in html and "Globex Tool" not in html


def test_each_organisations_note_keeps_to_it_for_staff_serving_both(acme, globex, troubled):
    both = make_staff("ines")
    make_team("Both", organisations=[acme, globex], members=[both])
    assert "LOST-PC" not in anomalies_html(both, globex, language="en", now=NOW)


def test_a_fleet_in_order_says_so(alice):
    calm = make_organisation("Calm", language="en")
    make_team("Calm desk", organisations=[calm], members=[alice])
    make_asset(alice, calm, name="FINE", memory_mb=16_384, os_name="Windows 11 Pro")
    html = anomalies_html(alice, calm, language="en", now=NOW)
    assert "Nothing to report" in html


@pytest.mark.parametrize(
    ("name", "version", "on", "old"),
    [
        ("Microsoft Windows 10 Professionnel", "10.0.19045", date(2025, 10, 14), False),
        ("Microsoft Windows 10 Professionnel", "10.0.19045", date(2025, 10, 15), True),
        ("Microsoft Windows 10 Enterprise LTSC 2021", "10.0.19044", date(2026, 1, 1), False),
        ("Microsoft Windows 11 Pro", "10.0.22631", date(2030, 1, 1), False),
        ("Microsoft Windows 8.1 Pro", "6.3.9600", date(2024, 1, 1), True),
        ("Debian GNU/Linux 10 (buster)", "10.13", date(2025, 1, 1), True),
        ("Debian GNU/Linux", "10.13", date(2025, 1, 1), True),
        ("Debian GNU/Linux 12 (bookworm)", "12.5", date(2026, 1, 1), False),
        ("Ubuntu 18.04.6 LTS", "", date(2024, 1, 1), True),
        ("Ubuntu", "22.04", date(2026, 1, 1), False),
        ("", "", date(2026, 1, 1), False),
    ],
)
def test_end_of_life_systems_are_recognised(name, version, on, old):
    assert (end_of_life(name, version, on) is not None) is old
