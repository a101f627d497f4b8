"""The node-by-node editor in a real browser, with the keyboard only."""

import pytest
from playwright.sync_api import expect

from guichet.scripts import tree
from guichet.scripts.tests.factories import make_script

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sam_adds_an_answer_leading_to_a_new_outcome_with_the_keyboard_only(page_for, sam):
    # given: the small tree; its blank node row comes after its five nodes
    script = make_script()
    page = page_for(sam)
    page.goto(f"/scripts/{script.pk}/")
    page.get_by_role("link", name="Edit node by node").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit “No link” node by node")

    # when: a new outcome node, then "Add another node" so that answers can lead to it
    page.locator("#id_n-5-id").focus()
    page.keyboard.type("replug")
    page.keyboard.press("Tab")
    expect(page.locator("#id_n-5-kind")).to_be_focused()
    page.keyboard.type("Outcome")
    page.keyboard.press("Tab")
    page.keyboard.type("Câble rebranché")
    page.keyboard.press("Tab")
    page.keyboard.type("Cable plugged back")
    page.get_by_role("button", name="Add another node").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#node-5 legend").first).to_have_text("Node “replug”")

    # a third answer to the first question, leading to the new node
    page.locator("#id_n-0-a-2-text_fr").focus()
    page.keyboard.type("Je ne sais pas")
    page.keyboard.press("Tab")
    page.keyboard.type("Not sure")
    page.keyboard.press("Tab")
    expect(page.locator("#id_n-0-a-2-next")).to_be_focused()
    page.keyboard.type("replug")
    expect(page.locator("#id_n-0-a-2-next")).to_have_value("replug")
    page.locator("#id_note").focus()
    page.keyboard.type("Not sure: replug the cable")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save a new version")).to_be_focused()
    page.keyboard.press("Enter")

    # then
    expect(page.get_by_role("status")).to_contain_text("Version 2 saved.")
    script.refresh_from_db()
    version = script.current
    assert (version.number, version.note) == (2, "Not sure: replug the cable")
    nodes = version.definition["nodes"]
    replug = {"fr": "Câble rebranché", "en": "Cable plugged back"}
    assert nodes["replug"] == {"kind": "outcome", "text": replug}
    assert nodes["link"]["answers"][2] == {
        "text": {"fr": "Je ne sais pas", "en": "Not sure"}, "next": "replug"}  # fmt: skip
    assert tree.validate(version.definition) == []
