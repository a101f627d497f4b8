"""The CSV and XLSX exports: the visible assets under the list's filters, no cell ever a
formula, and a CSV that imports back unchanged."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from guichet.accounts.models import Location
from guichet.assets.choices import AssetState
from guichet.assets.tests.factories import make_asset
from guichet.assets.transfer.columns import FIELDS
from guichet.assets.transfer.csv_import import plan_import

pytestmark = pytest.mark.django_db

CSV = reverse("assets:export-csv")
XLSX = reverse("assets:export-xlsx")
PAGE = reverse("assets:export")


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response, delimiter: str = ",") -> list[dict[str, str]]:
    text = content_of(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline=""), delimiter=delimiter))


def a_full_asset(alice, acme, bob, **fields):
    site = Location.objects.get_or_create(organisation=acme, name="Siège")[0]
    values = {
        "name": "PC-0412", "kind": "computer", "subtype": "laptop",
        "inventory_number": "INV-412", "serial": "CZC1234", "uuid": "4c4c4544",
        "manufacturer": "Lenovo", "model": "T14", "location": site.pk, "user": bob,
        "state": AssetState.IN_REPAIR, "purchase_date": date(2024, 3, 1),
        "warranty_end": date(2027, 2, 28), "purchase_price": Decimal("1234.50"),
        "supplier": "Bureau Vallée", "invoice_reference": "F-12",
        "notes": 'First line\nsecond line; with, separators "quoted"',
    }  # fmt: skip
    values.update(fields)
    name, kind = values.pop("name"), values.pop("kind")
    return make_asset(alice, acme, name=name, kind=kind, **values)


def test_the_csv_export_has_one_column_per_field_and_one_row_per_asset(alice_client, alice, acme,
                                                                       bob):  # fmt: skip
    a_full_asset(alice, acme, bob)

    response = alice_client.get(CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="assets-')
    [row] = csv_rows(response)
    assert list(row) == list(FIELDS)
    assert row["organisation"] == "Acme"
    assert (row["location"], row["user"], row["manufacturer"]) == ("Siège", "bob", "Lenovo")
    assert (row["purchase_date"], row["purchase_price"], row["state"]) == (
        "2024-03-01", "1234.50", "in_repair")  # fmt: skip


def test_french_readers_get_semicolons_and_decimal_commas(alice_client, alice, acme, bob):
    a_full_asset(alice, acme, bob)
    alice.language = "fr"
    alice.save(update_fields=["language"])
    [row] = csv_rows(alice_client.get(CSV), delimiter=";")
    assert row["purchase_price"] == "1234,50"


def test_the_exported_csv_imports_back_unchanged(alice_client, alice, acme, bob):
    a_full_asset(alice, acme, bob)
    a_full_asset(alice, acme, bob, name="=cmd|' /C calc'!A0", inventory_number="", serial="X-2",
                 subtype="", kind="monitor", notes="-2 dashes", purchase_price=None,
                 user=None, location=None, manufacturer=None, supplier=None)  # fmt: skip
    make_asset(alice, acme, name="@SUM(A1)", kind="phone", inventory_number="+33", imei="35")

    for language in ("en", "fr"):
        alice.language = language
        alice.save(update_fields=["language"])
        content = content_of(alice_client.get(CSV))
        report = plan_import(alice, content)
        assert report.ok, [(line.number, line.errors) for line in report.lines]
        assert [line.action for line in report.lines] == ["unchanged"] * 3


def test_cells_that_start_like_a_formula_are_escaped_in_csv(alice_client, alice, acme):
    for name in ("=1+1", "+1", "-1", "@SUM(A1)", "\tTab", "Plain"):
        make_asset(alice, acme, name=f"{name}", inventory_number=name.strip() or "t")
    rows = csv_rows(alice_client.get(CSV))
    assert [row["name"] for row in rows] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "Tab", "Plain"]


def test_the_xlsx_export_opens_and_never_holds_a_formula(alice_client, alice, acme, bob):
    a_full_asset(alice, acme, bob)
    make_asset(alice, acme, name='=HYPERLINK("http://evil")', kind="printer")

    response = alice_client.get(XLSX)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="assets-')
    sheet = load_workbook(io.BytesIO(content_of(response))).active
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == list(FIELDS)
    assert len(rows) == 3
    first = dict(zip(FIELDS, rows[1], strict=True))
    assert first["name"].value == "PC-0412"
    assert first["purchase_date"].value.date() == date(2024, 3, 1)
    assert first["purchase_price"].value == pytest.approx(1234.5)
    formula = rows[2][FIELDS.index("name")]
    assert (formula.value, formula.data_type) == ('=HYPERLINK("http://evil")', "s")


def test_the_list_filters_choose_what_is_exported(alice_client, alice, acme):
    make_asset(alice, acme, name="PC-1", kind="computer")
    make_asset(alice, acme, name="Printer", kind="printer", state=AssetState.IN_STOCK)
    make_asset(alice, acme, name="PC-2", kind="computer", state=AssetState.IN_STOCK)

    def names(**params) -> list[str]:
        return [row["name"] for row in csv_rows(alice_client.get(CSV, params))]

    assert names() == ["PC-1", "Printer", "PC-2"]
    assert names(kind="computer") == ["PC-1", "PC-2"]
    assert names(kind="computer", state="in_stock") == ["PC-2"]
    assert names(q="print") == ["Printer"]
    assert names(organisation=acme.pk) == ["PC-1", "Printer", "PC-2"]
    response = alice_client.get(CSV, {"kind": "toaster"})
    assert response.status_code == 400
    assert response.content.decode().startswith("kind:")


def test_an_outsider_exports_none_of_acmes_assets(dave_client, dave, alice, acme, globex):
    make_asset(alice, acme, name="Acme PC")
    make_asset(dave, globex, name="Globex PC")
    assert [row["name"] for row in csv_rows(dave_client.get(CSV))] == ["Globex PC"]
    # Acme is not among the organisations the filter offers him.
    refused = dave_client.get(CSV, {"organisation": acme.pk})
    assert refused.status_code == 400
    assert "Acme" not in refused.content.decode()
    sheet = load_workbook(io.BytesIO(content_of(dave_client.get(XLSX)))).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Globex PC"]


def test_requesters_get_no_export(charlie_client, bob_client, alice, acme):
    make_asset(alice, acme, name="Acme PC")
    assert bob_client.get(CSV).status_code == 404
    assert charlie_client.get(XLSX).status_code == 404
    assert charlie_client.get(PAGE).status_code == 302


def test_the_export_page_offers_the_three_downloads(alice_client):
    response = alice_client.get(PAGE, {"kind": "computer"})
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("export-csv", "export-xlsx", "labels"):
        assert f'formaction="{reverse(f"assets:{name}")}"' in page


def test_the_export_reads_a_constant_number_of_queries(
    alice_client, alice, acme, bob, django_assert_max_num_queries
):
    for number in range(30):
        a_full_asset(alice, acme, bob, name=f"PC-{number}", inventory_number=f"INV-{number}")
    with django_assert_max_num_queries(12):
        rows = csv_rows(alice_client.get(CSV))
    assert len(rows) == 30
    with django_assert_max_num_queries(12):
        content_of(alice_client.get(XLSX))


def test_an_anonymous_visitor_is_sent_to_sign_in(db):
    response = Client().get(CSV)
    assert response.status_code == 302
    assert "login" in response["Location"]
