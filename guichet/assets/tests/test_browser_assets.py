"""The asset screens in a real browser, with the keyboard only: alice records a new phone
(the phone fields appear when the type is chosen), then puts several assets in repair from
the list at once."""

import pytest
from playwright.sync_api import expect

from guichet.assets.models import Asset
from guichet.assets.tests.factories import make_asset

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_creates_a_phone_then_changes_several_assets_with_the_keyboard(page_for, alice, acme):
    first = make_asset(alice, acme, name="PC-Old-1")
    second = make_asset(alice, acme, name="PC-Old-2")
    kept = make_asset(alice, acme, name="PC-Keep")
    page = page_for(alice)

    # Creation: the phone's own fields appear once "Phone" is chosen as the type.
    page.goto("/assets/new/")
    expect(page.get_by_label("IMEI")).to_be_hidden()
    expect(page.get_by_label("OS version")).to_be_visible()
    page.get_by_label("Name").focus()
    page.keyboard.type("Reception phone")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Type", exact=True)).to_be_focused()
    page.keyboard.type("Phone")
    expect(page.get_by_label("IMEI")).to_be_visible()
    expect(page.get_by_label("OS version")).to_be_hidden()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Subtype")).to_be_focused()
    page.keyboard.type("Mobile")
    page.get_by_label("IMEI").focus()
    page.keyboard.type("356938035643809")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Reception phone")
    phone = Asset.objects.get(name="Reception phone")
    assert (phone.kind, phone.subtype, phone.imei, phone.organisation_id) == (
        "phone", "mobile", "356938035643809", acme.pk)  # fmt: skip

    # Bulk change: select the whole page, leave one out, set the state.
    page.goto("/assets/")
    page.get_by_label("Select all the assets on this page").focus()
    page.keyboard.press("Space")
    page.get_by_label(f"Select {kept.reference} PC-Keep").focus()
    page.keyboard.press("Space")
    page.get_by_text("Change the selected assets").focus()
    page.keyboard.press("Enter")  # opens the bulk changes
    page.get_by_label("New state").focus()
    page.keyboard.type("In repair")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Set the state")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").first).to_contain_text("3 assets changed.")
    states = dict(Asset.objects.values_list("pk", "state"))
    assert states == {first.pk: "in_repair", second.pk: "in_repair", phone.pk: "in_repair",
                      kept.pk: "in_use"}  # fmt: skip
