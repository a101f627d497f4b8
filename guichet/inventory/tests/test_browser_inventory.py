"""The conflicts screen in a real browser: sam attaches a kept inventory to the right one of
two candidate assets, with the keyboard only."""

import pytest
from playwright.sync_api import expect

from guichet.assets.tests.factories import make_asset
from guichet.inventory import actions
from guichet.inventory.choices import DEFAULT_RULES, ConflictStatus
from guichet.inventory.models import Agent, Conflict, ReconciliationRule
from guichet.inventory.tests.factories import machine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sam_resolves_a_conflict_with_the_keyboard_only(page_for, sam, alice, acme):
    # given two assets with one serial, and an inventory of a machine with that serial
    for position, criterion in enumerate(DEFAULT_RULES, start=1):
        ReconciliationRule.objects.get_or_create(criterion=criterion,
                                                 defaults={"position": position * 10})  # fmt: skip
    make_asset(alice, acme, name="OLD-PC", serial="CZC1234XYZ")
    right = make_asset(alice, acme, name="ACCOUNTS-PC", serial="CZC1234XYZ")
    conflict = actions.ingest(inventory=machine(uuid=""), organisation=acme).conflict
    page = page_for(sam)

    # when sam opens the conflicts, skips to the content and Tabs to the right asset's button
    page.goto("/inventory/conflicts/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inventory conflicts")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    button = page.locator(f'#conflict-{conflict.pk} button[value="{right.pk}"]')
    for _ in range(40):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    expect(button).to_be_focused()
    expect(button).to_have_accessible_name("Attach to this asset")
    page.keyboard.press("Enter")

    # then the list says so, the conflict is gone from it, and the asset has the inventory
    expect(page.get_by_role("status")).to_contain_text("The inventory was applied to")
    expect(page.locator(f"#conflict-{conflict.pk}")).to_have_count(0)
    conflict = Conflict.objects.get(pk=conflict.pk)
    assert conflict.status == ConflictStatus.RESOLVED and conflict.resolved_by == sam
    assert Agent.objects.get().asset_id == right.pk
    right.refresh_from_db()
    assert right.name == "PC-0412" and right.components.count() == 6
