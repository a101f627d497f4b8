"""The CSV import: a dry run that writes nothing and says what each line would do, then the
import of the very file checked, all lines or none; hostile files are refused with a reason."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import Location
from guichet.assets.choices import AssetState, Source
from guichet.assets.models import Asset, AssetEvent, Manufacturer, Supplier
from guichet.assets.tests.factories import make_asset, reload
from guichet.assets.transfer import columns, csv_import, waiting
from guichet.assets.transfer.csv_import import apply_import, plan_import
from guichet.assets.transfer.reading import MAX_BYTES
from guichet.lib.errors import InvalidInput

pytestmark = pytest.mark.django_db

IMPORT = reverse("assets:import")
APPLY = reverse("assets:import-apply")


def csv_text(*lines: str) -> bytes:
    return "\r\n".join(lines).encode("utf-8")


def upload(client, content: bytes, **data):
    return client.post(IMPORT, {"file": SimpleUploadedFile("assets.csv", content), **data})


def written() -> tuple[int, int, int, int]:
    return (
        Asset.objects.count(),
        AssetEvent.objects.count(),
        Manufacturer.objects.count(),
        Supplier.objects.count(),
    )


def outcomes(report) -> list[tuple[int, str]]:
    return [(line.number, line.action) for line in report.lines]


def errors_of(report) -> list[tuple[int, str, str]]:
    return [(line.number, e.column, e.message) for line in report.lines for e in line.errors]


def test_the_dry_run_says_what_each_line_would_do_and_writes_nothing(alice_client, alice, acme):
    make_asset(alice, acme, name="PC-1", inventory_number="INV-1", serial="S1")
    make_asset(alice, acme, name="PC-2", inventory_number="INV-2")
    before = written()
    content = csv_text(
        "inventory_number,name,kind,organisation,manufacturer,supplier,state",
        "INV-1,PC-1 renamed,computer,Acme,Dell,Bureau Vallée,in_repair",
        "INV-2,PC-2,computer,acme,,,in_use",
        ",New printer,printer,ACME,HP,,",
    )

    response = upload(alice_client, content)

    assert response.status_code == 200
    report = response.context["report"]
    assert outcomes(report) == [(2, "update"), (3, "unchanged"), (4, "create")]
    assert report.lines[0].changes == ["name", "manufacturer", "supplier", "state"]
    assert "1 to create, 1 to update, 1 unchanged, 0 refused." in response.content.decode()
    assert written() == before
    assert response.context["token"]


def test_import_applies_every_line_from_the_file_kept_on_the_server(alice_client, alice, acme):
    asset = make_asset(alice, acme, name="PC-1", inventory_number="INV-1")
    content = csv_text(
        "inventory_number,name,kind,organisation,manufacturer",
        "INV-1,PC-1 renamed,computer,Acme,Dell",
        "INV-9,Printer,printer,Acme,HP",
    )
    token = upload(alice_client, content).context["token"]
    waiting = alice_client.session[csv_import_session_key()]["name"]
    assert default_storage.exists(waiting)

    response = alice_client.post(APPLY, {"token": token}, follow=True)

    assert "Import done: 1 created, 1 updated, 0 unchanged." in response.content.decode()
    assert reload(asset).name == "PC-1 renamed"
    created = Asset.objects.get(inventory_number="INV-9")
    assert (created.organisation, created.manufacturer.name) == (acme, "HP")
    assert set(AssetEvent.objects.exclude(pk__in=[asset.events.first().pk]).values_list(
        "source", flat=True)) == {Source.IMPORT}  # fmt: skip
    assert not default_storage.exists(waiting)
    # applied once: the same token imports nothing more
    before = written()
    response = alice_client.post(APPLY, {"token": token}, follow=True)
    assert "no longer waiting" in response.content.decode()
    assert written() == before


def csv_import_session_key() -> str:
    from guichet.assets.views.transfer import SESSION_KEY

    return SESSION_KEY


def test_apply_reads_the_kept_file_and_never_a_posted_preview(alice_client, alice, acme):
    content = csv_text("name,kind,organisation", "PC-1,computer,Acme")
    upload(alice_client, content)

    response = alice_client.post(
        APPLY, {"token": "0" * 32, "name": "PC-evil", "lines": "name,kind\nx,computer"}, follow=True
    )

    assert "no longer waiting" in response.content.decode()
    assert not Asset.objects.exists()


def test_a_french_excel_file_is_read_headings_dates_prices_and_all(alice, acme, bob):
    site = Location.objects.create(organisation=acme, name="Siège")
    content = "\r\n".join(
        [
            "Nom;Type;Sous-type;Organisation;Numéro de série;Numéro d'inventaire;État;Lieu;"
            "Utilisateur;Fabricant;Modèle;Date d'achat;Fin de garantie;Prix d'achat;"
            "Fournisseur;Référence facture",
            "Poste accueil;Ordinateur;Portable;Acme;CZC123;INV-7;En réparation;siège;"
            f"{bob.email.upper()};Lenovo;T14;03/04/2024;2027-04-02;1 234,50;Bureau Vallée;F-12",
        ]
    ).encode("cp1252")

    report = apply_import(actor=alice, content=content)

    assert report.applied, errors_of(report)
    asset = Asset.objects.get(inventory_number="INV-7")
    assert (asset.name, asset.kind, asset.subtype, asset.serial) == (
        "Poste accueil", "computer", "laptop", "CZC123")  # fmt: skip
    assert (asset.state, asset.location, asset.user) == (AssetState.IN_REPAIR, site, bob)
    assert (asset.purchase_date, asset.warranty_end) == (date(2024, 4, 3), date(2027, 4, 2))
    assert asset.purchase_price == Decimal("1234.50")
    assert (asset.supplier.name, asset.invoice_reference, asset.model) == ("Bureau Vallée", "F-12",
                                                                          "T14")  # fmt: skip


def test_utf8_with_a_byte_order_mark_and_tabs_are_read(alice, acme):
    content = '\ufeffname\tkind\torganisation\r\nÉcran 27"\tmonitor\tAcme\r\n'.encode()
    report = plan_import(alice, content)
    assert outcomes(report) == [(2, "create")]
    assert report.lines[0].label == 'Écran 27"'


def test_missing_required_columns_refuse_the_file_and_unknown_ones_are_reported(alice, acme):
    refused = plan_import(alice, csv_text("nom,organisation", "PC,Acme"))
    assert refused.problems == ["Required columns are missing: kind."]
    assert not refused.lines

    report = plan_import(alice, csv_text("name,kind,organisation,colour", "PC,computer,Acme,red"))
    assert report.unknown_columns == ["colour"]
    assert outcomes(report) == [(2, "create")]


def test_a_file_without_an_organisation_column_uses_the_one_chosen(alice_client, alice, acme):
    content = csv_text("name,kind", "PC-1,computer")
    assert errors_of(plan_import(alice, content)) == [
        (2, "organisation", "This field is required.")
    ]
    token = upload(alice_client, content, organisation=acme.pk).context["token"]
    alice_client.post(APPLY, {"token": token})
    assert Asset.objects.get().organisation == acme


def test_one_refused_line_refuses_the_whole_file(alice_client, alice, acme):
    content = csv_text(
        "name,kind,organisation,purchase_date,purchase_price",
        "PC-1,computer,Acme,2024-01-31,10",
        "PC-2,toaster,Acme,31/02/2024,ten",
    )

    response = upload(alice_client, content)

    assert response.status_code == 400
    report = response.context["report"]
    assert outcomes(report) == [(2, "create"), (3, "refused")]
    assert {column for _line, column, _message in errors_of(report)} == {
        "kind", "purchase_date", "purchase_price"}  # fmt: skip
    assert response.context["token"] == ""
    assert csv_import_session_key() not in alice_client.session
    assert not Asset.objects.exists()


def test_a_line_the_verb_refuses_while_importing_rolls_back_the_lines_before(
    alice, acme, monkeypatch
):
    content = csv_text("name,kind,organisation", "PC-1,computer,Acme", "PC-2,computer,Acme")
    real = csv_import.actions.create_asset

    def refuse_the_second(**values):
        if values["name"] == "PC-2":
            raise InvalidInput({"name": ["Taken meanwhile."]})
        return real(**values)

    monkeypatch.setattr(csv_import.actions, "create_asset", refuse_the_second)

    report = apply_import(actor=alice, content=content)

    assert not report.applied
    assert errors_of(report) == [(3, "name", "Taken meanwhile.")]
    assert not Asset.objects.exists()
    assert not AssetEvent.objects.exists()


def test_two_lines_for_one_asset_or_one_inventory_number_are_refused(alice, acme):
    make_asset(alice, acme, name="PC-1", inventory_number="INV-1")
    content = csv_text(
        "inventory_number,name,kind,organisation",
        "INV-1,PC-1,computer,Acme",
        "INV-1,PC-1 again,computer,Acme",
        "INV-5,New,computer,Acme",
        "INV-5,Newer,computer,Acme",
    )
    report = plan_import(alice, content)
    assert outcomes(report) == [(2, "unchanged"), (3, "refused"), (4, "create"), (5, "refused")]
    assert errors_of(report)[0][2] == "Line 2 already changes this asset."
    assert errors_of(report)[1][2] == "Line 4 has the same inventory number."


def test_a_serial_number_finds_the_asset_without_an_inventory_number(alice, acme):
    asset = make_asset(alice, acme, name="PC-1", serial="CZC1")
    report = apply_import(
        actor=alice, content=csv_text("serial,name,kind,state", "CZC1,PC-1,computer,in_stock")
    )
    assert report.applied
    assert outcomes(report) == [(2, "update")]
    assert reload(asset).state == AssetState.IN_STOCK


def test_a_serial_number_shared_or_numbered_otherwise_is_refused(alice, acme):
    make_asset(alice, acme, name="PC-1", serial="DUP")
    make_asset(alice, acme, name="PC-2", serial="DUP")
    make_asset(alice, acme, name="PC-3", serial="ONE", inventory_number="INV-3")
    content = csv_text(
        "inventory_number,serial,name,kind", ",DUP,PC,computer", "INV-4,ONE,PC-3,computer"
    )
    assert [message for _n, _c, message in errors_of(plan_import(alice, content))] == [
        "Several assets have this serial number: give the inventory number.",
        "The asset with this serial number has the inventory number INV-3.",
    ]


def test_an_empty_cell_empties_the_field_but_keeps_the_state(alice, acme):
    asset = make_asset(alice, acme, name="PC-1", inventory_number="INV-1", model="T14",
                       state=AssetState.IN_STOCK)  # fmt: skip
    content = csv_text("inventory_number,name,kind,model,state", "INV-1,PC-1,computer,,")
    report = apply_import(actor=alice, content=content)
    assert report.lines[0].changes == ["model"]
    asset = reload(asset)
    assert (asset.model, asset.state) == ("", AssetState.IN_STOCK)


# --- Hostile files ------------------------------------------------------------------------


def test_binary_garbage_is_refused_as_not_text(alice_client, alice):
    garbage = bytes(range(256)) * 64
    response = upload(alice_client, garbage)
    assert response.status_code == 400
    assert response.context["report"].problems == [
        "The file is not text: save it as CSV (UTF-8 or Windows-1252)."
    ]
    assert not Asset.objects.exists()


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(alice_client, alice):
    huge = b"name,kind\r\n" + b"x" * (50 * 1024 * 1024)
    response = upload(alice_client, huge)
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file is larger than 10 MB: split it."]
    assert response.context["report"] is None
    assert plan_import(alice, b"name,kind\r\n" + b"x" * MAX_BYTES).problems == [
        "The file is larger than 10 MB: split it."
    ]


def test_a_line_with_ten_thousand_columns_is_refused(alice, acme):
    content = csv_text("name,kind,organisation", "PC,computer,Acme" + ",x" * 10_000)
    report = plan_import(alice, content)
    assert errors_of(report) == [
        (2, "", "This line has 10003 cells, more than the 3 columns of the header.")
    ]


def test_nul_bytes_refuse_their_line(alice, acme):
    content = csv_text("name,kind,organisation", "PC\x00-1,computer,Acme", "PC-2,computer,Acme")
    report = plan_import(alice, content)
    assert errors_of(report) == [(2, "name", "Contains a NUL character.")]
    assert outcomes(report)[1] == (3, "create")


def test_a_formula_in_a_name_is_kept_as_text(alice, acme):
    content = csv_text(
        "name,kind,organisation", '"=HYPERLINK(""http://evil"",""x"")",computer,Acme'
    )
    assert apply_import(actor=alice, content=content).applied
    assert Asset.objects.get().name == '=HYPERLINK("http://evil","x")'


def test_an_unclosed_quote_and_an_empty_file_are_refused(alice):
    assert plan_import(alice, b"").problems == ["The file is empty."]
    assert plan_import(alice, b"\r\n;;\r\n").problems == ["The file is empty."]
    unclosed = b'name,kind\r\n"PC' + b"x" * 200_000 + b",computer\r\n"
    assert plan_import(alice, unclosed).problems == [
        "Line 2 cannot be read: a cell is too long or a quote is not closed."
    ]


# --- Tenancy ------------------------------------------------------------------------------


def test_an_organisation_the_user_does_not_serve_is_a_line_error(alice, acme, globex):
    content = csv_text("name,kind,organisation", "PC,computer,Globex", "PC,computer,Nowhere")
    report = plan_import(alice, content)
    assert errors_of(report) == [
        (2, "organisation", "Unknown organisation."),
        (3, "organisation", "Unknown organisation."),
    ]


def test_another_organisations_serial_never_updates_its_asset(alice, dave, globex, acme):
    theirs = make_asset(dave, globex, name="Globex PC", serial="SECRET-1")
    content = csv_text("serial,name,kind,organisation", "SECRET-1,Mine now,computer,Acme")

    report = apply_import(actor=alice, content=content)

    assert outcomes(report) == [(2, "create")]
    assert reload(theirs).name == "Globex PC"
    assert Asset.objects.get(organisation=acme).serial == "SECRET-1"


def test_another_organisations_inventory_number_is_refused_not_updated(alice, dave, globex, acme):
    theirs = make_asset(dave, globex, name="Globex PC", inventory_number="G-1")
    content = csv_text("inventory_number,name,kind,organisation", "G-1,Mine now,computer,Acme")
    report = apply_import(actor=alice, content=content)
    assert not report.applied
    assert errors_of(report) == [
        (2, "inventory_number", "Another asset has this inventory number.")
    ]
    assert reload(theirs).name == "Globex PC"


def test_a_person_of_another_organisation_is_not_found(alice, acme, charlie):
    content = csv_text("name,kind,organisation,user", f"PC,computer,Acme,{charlie.username}")
    assert errors_of(plan_import(alice, content)) == [
        (2, "user", "Unknown user: give a username or an email address.")
    ]


def test_requesters_cannot_reach_the_import(charlie_client, bob_client, alice, acme):
    assert charlie_client.get(IMPORT).status_code == 302
    content = csv_text("name,kind,organisation", "PC,computer,Acme")
    assert upload(bob_client, content).status_code == 404
    assert bob_client.post(APPLY, {"token": "x"}).status_code == 404
    assert not Asset.objects.exists()


def test_an_outsider_staff_members_dry_run_names_nothing_of_acme(dave_client, alice, acme):
    make_asset(alice, acme, name="Acme PC", inventory_number="A-1", serial="S-A")
    content = csv_text("serial,name,kind,organisation", "S-A,Dave's,computer,Globex")
    response = upload(dave_client, content)
    assert outcomes(response.context["report"]) == [(2, "create")]
    assert "Acme PC" not in response.content.decode()


def test_the_page_explains_the_columns(alice_client):
    response = alice_client.get(IMPORT)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Numéro de série" in page
    assert 'aria-describedby="import-file_helptext"' in page


def test_the_dry_run_reads_a_constant_number_of_queries(
    alice_client, alice, acme, bob, django_assert_max_num_queries
):
    Location.objects.create(organisation=acme, name="Siège")
    for number in range(20):
        make_asset(alice, acme, name=f"PC-{number}", inventory_number=f"INV-{number}")
    lines = [
        f"INV-{n},PC-{n} b,computer,Acme,Siège,{bob.username},Dell,Supplier {n},S{n}"
        for n in range(60)
    ]
    header = "inventory_number,name,kind,organisation,location,user,manufacturer,supplier,serial"
    content = csv_text(header, *lines)
    with django_assert_max_num_queries(20):
        response = upload(alice_client, content)
    assert response.context["report"].counts == {
        "create": 40, "update": 20, "unchanged": 0, "refused": 0}  # fmt: skip


# --- Reading cells ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2024-03-01", date(2024, 3, 1)), ("01/03/2024", date(2024, 3, 1)),
     ("1.3.2024", date(2024, 3, 1))],
)  # fmt: skip
def test_dates_are_read_in_both_orders(text, expected):
    assert columns.parse_date(text) == expected


@pytest.mark.parametrize("text", ["2024-02-30", "03/2024", "yesterday", "20240301"])
def test_bad_dates_are_refused(text):
    with pytest.raises(ValueError):
        columns.parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1234.50", "1234.50"), ("1234,5", "1234.5"), ("1 234,50 €", "1234.50"),
     ("1,234.50", "1234.50"), ("12", "12")],
)  # fmt: skip
def test_amounts_are_read_with_a_point_or_a_comma(text, expected):
    assert columns.parse_amount(text) == Decimal(expected)


def test_headings_are_matched_whatever_their_accents_and_case():
    assert columns.field_for("NUMERO DE SERIE") == "serial"
    assert columns.field_for("Numéro d’inventaire") == "inventory_number"
    assert columns.field_for(" Inventory number ") == "inventory_number"
    assert columns.field_for("Couleur") is None


def test_a_file_left_waiting_over_a_day_is_purged(alice_client, alice, acme):
    content = csv_text("name,kind,organisation", "Printer,printer,Acme")
    token = upload(alice_client, content).context["token"]
    waiting_name = alice_client.session[csv_import_session_key()]["name"]

    assert waiting.purge(timezone.now() + timedelta(hours=23)) == 0
    assert default_storage.exists(waiting_name)
    assert waiting.purge(timezone.now() + timedelta(days=1, minutes=1)) == 1
    assert not default_storage.exists(waiting_name)

    response = alice_client.post(APPLY, {"token": token}, follow=True)
    assert "no longer waiting" in response.content.decode()
    assert not Asset.objects.filter(name="Printer").exists()
