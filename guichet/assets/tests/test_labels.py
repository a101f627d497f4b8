"""Sheets of QR labels: a PDF of the visible assets chosen by id or by the list's filters,
each QR code holding the address of the asset's page, and a cap on a sheet's size."""

import base64
import io
import re

import pytest
import segno
from django.urls import reverse
from PIL import Image

from guichet.assets.tests.factories import make_asset
from guichet.assets.transfer import labels

pytestmark = pytest.mark.django_db

LABELS = reverse("assets:labels")


@pytest.fixture
def printed(monkeypatch):
    """The labels each request put on its sheet (the PDF is still made)."""
    sheets: list[list[labels.Label]] = []
    real = labels.sheet_pdf

    def keep(sheet):
        sheets.append(sheet)
        return real(sheet)

    monkeypatch.setattr(labels, "sheet_pdf", keep)
    return sheets


def qr_matrix(img: str) -> list[list[bool]]:
    """The dark modules of the label's PNG (one pixel per module), read back from its
    `data:` address."""
    found = re.search(r'src="data:image/png;base64,([^"]+)"', img)
    assert found is not None
    picture = Image.open(io.BytesIO(base64.b64decode(found[1]))).convert("L")
    width, height = picture.size
    return [[picture.getpixel((x, y)) < 128 for x in range(width)] for y in range(height)]


def test_a_sheet_of_chosen_assets_is_a_pdf(alice_client, alice, acme, printed):
    first = make_asset(alice, acme, name="PC-1", inventory_number="INV-1")
    second = make_asset(alice, acme, name="PC-2")

    response = alice_client.get(LABELS, {"ids": f"{second.pk},{first.pk}"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    [sheet] = printed
    assert [(label.reference, label.name, label.organisation) for label in sheet] == [
        (f"AS-{second.pk}", "PC-2", "Acme"),
        ("INV-1", "PC-1", "Acme"),
    ]
    assert sheet[1].url == f"http://testserver{labels.asset_path(first.pk)}"


def test_the_qr_code_holds_the_address_of_the_assets_page(alice, acme):
    asset = make_asset(alice, acme, name="PC-1")
    [label] = labels.make_labels([asset], lambda path: f"https://desk.example{path}")
    assert label.url == f"https://desk.example{labels.asset_path(asset.pk)}"
    assert labels.asset_path(asset.pk).endswith(f"/{asset.pk}/")
    html = labels.sheet_html([label])
    assert str(label.qr) in html
    border = 1
    drawn = [row[border:-border] for row in qr_matrix(str(label.qr))[border:-border]]
    assert 'alt=""' in str(label.qr)
    expected = segno.make(label.url, error="m", micro=False)
    assert drawn == [[bool(bit) for bit in row] for row in expected.matrix]
    assert expected.error in ("M", "Q", "H")


def test_names_are_escaped_on_the_sheet(alice, acme):
    asset = make_asset(alice, acme, name="<script>alert(1)</script>")
    html = labels.sheet_html(labels.make_labels([asset], lambda path: path))
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_labels_fill_pages_of_three_by_eight(alice, acme):
    sheet = [labels.Label(f"R{n}", "n", "o", "/") for n in range(25)]
    pages = labels.pages(sheet)
    assert [len(page) for page in pages] == [8, 1]
    assert pages[1] == [[sheet[24], None, None]]


def test_a_filtered_sheet_prints_the_assets_the_list_shows(alice_client, alice, acme, printed):
    make_asset(alice, acme, name="PC-1", kind="computer")
    make_asset(alice, acme, name="Printer", kind="printer")
    response = alice_client.get(LABELS, {"kind": "printer"})
    assert response.content.startswith(b"%PDF")
    assert [label.name for label in printed[0]] == ["Printer"]
    refused = alice_client.get(LABELS, {"kind": "phone"})
    assert refused.status_code == 400
    assert "No asset matches these filters." in refused.content.decode()


def test_a_sheet_has_at_most_the_cap_of_labels(alice_client, alice, acme, monkeypatch):
    monkeypatch.setattr(labels, "MAX_LABELS", 2)
    assets = [make_asset(alice, acme, name=f"PC-{n}") for n in range(3)]
    message = "At most 2 labels can be printed at once"

    by_filter = alice_client.get(LABELS)
    by_ids = alice_client.get(LABELS, {"ids": ",".join(str(a.pk) for a in assets)})

    for response in (by_filter, by_ids):
        assert response.status_code == 400
        assert message in response.content.decode()


def test_bad_lists_of_ids_are_refused(alice_client, alice, acme):
    assert alice_client.get(LABELS, {"ids": "1,two"}).status_code == 400
    assert alice_client.get(LABELS, {"ids": "1;DROP"}).status_code == 400
    assert alice_client.get(LABELS, {"ids": "9" * 40}).status_code == 400


def test_an_outsider_prints_no_label_of_acme(dave_client, dave, alice, acme, globex, printed):
    theirs = make_asset(alice, acme, name="Acme PC")
    own = make_asset(dave, globex, name="Globex PC")

    assert dave_client.get(LABELS, {"ids": str(theirs.pk)}).status_code == 404
    dave_client.get(LABELS, {"ids": f"{theirs.pk},{own.pk}"})
    dave_client.get(LABELS)

    assert [[label.name for label in sheet] for sheet in printed] == [["Globex PC"], ["Globex PC"]]


def test_requesters_print_no_labels(bob_client, charlie_client, alice, acme):
    asset = make_asset(alice, acme, name="Acme PC", user=None)
    assert bob_client.get(LABELS, {"ids": str(asset.pk)}).status_code == 404
    assert charlie_client.get(LABELS).status_code == 404


def test_a_sheet_reads_a_constant_number_of_queries(
    alice_client, alice, acme, printed, django_assert_max_num_queries
):
    assets = [make_asset(alice, acme, name=f"PC-{n}") for n in range(30)]
    with django_assert_max_num_queries(6):
        alice_client.get(LABELS, {"ids": ",".join(str(a.pk) for a in assets)})
    with django_assert_max_num_queries(12):
        alice_client.get(LABELS)
    assert [len(sheet) for sheet in printed] == [30, 30]
