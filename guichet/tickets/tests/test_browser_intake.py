"""Phone intake in a real browser, with the keyboard only: find the caller, qualify, create."""

import re

import pytest
from playwright.sync_api import expect

from guichet.tickets.choices import Channel
from guichet.tickets.models import Category, Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def printer():
    """The seeded category, made again if an earlier browser test emptied the database."""
    hardware, _ = Category.objects.get_or_create(
        code="hardware", defaults={"name_fr": "Matériel", "name_en": "Hardware"}
    )
    category, _ = Category.objects.get_or_create(
        code="hardware-printer",
        defaults={"name_fr": "Imprimante", "name_en": "Printer", "parent": hardware},
    )
    return category


def test_alice_opens_a_qualified_ticket_with_the_keyboard_only(page_for, alice, bob, printer):
    page = page_for(alice)
    page.goto("/tickets/intake/")

    # The caller search has the focus: alice types part of bob's number as he dictates it.
    search = page.locator("#caller-q")
    expect(search).to_be_focused()
    page.keyboard.type("45 67")
    option = page.locator("#caller-results .caller-option")
    expect(option).to_have_count(1)
    expect(option).to_contain_text("Bob Test")

    # Arrow down into the results, Enter chooses: the caller card appears, focus moves on.
    page.keyboard.press("ArrowDown")
    expect(option).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#caller-card")).to_contain_text("Acme")
    expect(page.locator("#caller-results .caller-option")).to_have_count(0)
    expect(page.locator("#id_type")).to_be_focused()

    # Qualify with Tab and typing (a select picks the option whose label starts that way).
    page.keyboard.type("Service")
    page.keyboard.press("Tab")
    page.keyboard.type("Printer")
    page.keyboard.press("Tab")
    page.keyboard.type("4")
    page.keyboard.press("Tab")
    page.keyboard.type("5")
    expect(page.locator("#priority-preview")).to_contain_text("P5")
    page.keyboard.press("Tab")
    expect(page.locator("#id_title")).to_be_focused()
    page.keyboard.type("Printer prints blank pages")
    page.keyboard.press("Tab")
    page.keyboard.type("Since this morning, on the 2nd floor.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    # The new ticket opens, with a confirmation.
    page.wait_for_url(re.compile(r"/tickets/\d+/$"))
    expect(page.locator(".messages")).to_contain_text("was created for Bob Test")
    ticket = Ticket.objects.get()
    assert page.url.endswith(f"/tickets/{ticket.pk}/")
    assert (ticket.requester_id, ticket.channel, ticket.created_by_id) == (
        bob.pk,
        Channel.PHONE,
        alice.pk,
    )
    assert (ticket.type, ticket.category, ticket.impact, ticket.urgency) == (
        "request",
        printer,
        4,
        5,
    )
    assert ticket.priority == 5
    assert ticket.title == "Printer prints blank pages"
    assert ticket.description == "Since this morning, on the 2nd floor."


def test_enter_in_the_search_takes_a_single_match(page_for, alice, bob):
    page = page_for(alice)
    page.goto("/tickets/intake/")
    page.keyboard.type("bob")
    page.keyboard.press("Enter")
    expect(page.locator("#caller-card")).to_contain_text("Bob Test")
    expect(page.locator("#id_type")).to_be_focused()
