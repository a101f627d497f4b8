"""In a real browser: suggestions while a requester types, "this solved it"; the search box."""

import pytest
from playwright.sync_api import expect

from guichet.knowledge.models import Deflection
from guichet.search.tests.factories import make_article, make_known_error
from guichet.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_requester_finds_the_answer_while_typing_and_sends_nothing(page_for, alice, bob):
    make_article(alice, title_en="Reset your password yourself", title_fr="", audience="public",
                 body_en="Go to the account page and choose a new password.")  # fmt: skip
    page = page_for(bob)
    page.goto("/portal/new/?category=none")
    page.locator("#id_title").focus()
    page.keyboard.type("forgot my password")
    suggestion = page.locator("#portal-suggestions .hit")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("Reset your password yourself")
    expect(suggestion.locator("mark").first).to_have_text("password")
    # Keyboard only: Tab from the title goes through the description to the suggestion.
    button = suggestion.get_by_role("button", name="This solved my problem")
    for _ in range(6):
        page.keyboard.press("Tab")
        if button.evaluate("b => b === document.activeElement"):
            break
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Glad it helped")
    assert Deflection.objects.filter(user=bob).count() == 1
    assert not Ticket.objects.exists()


def test_the_search_box_is_reached_with_an_access_key_and_shows_known_errors(page_for, alice, bob):
    make_known_error(alice, title_fr="", title_en="VPN drops every hour",
                     workaround_en="Turn off the network card's power saving.")  # fmt: skip
    page = page_for(alice)
    page.goto("/tickets/")
    page.locator("#site-search").focus()
    page.keyboard.type("vpn drop")
    page.keyboard.press("Enter")
    result = page.locator(".hits .hit").first
    expect(result).to_contain_text("VPN drops every hour")
    expect(result).to_contain_text("Known error")
    expect(page.get_by_role("status").first).to_contain_text("1 result")
