"""Service clocks in a real browser: the ticket page's clocks follow an action in place, and a
supervisor finds an overdue ticket on the at-risk board with the keyboard."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from guichet.sla.models import Contract
from guichet.tickets.tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_requiring_a_visit_starts_its_clock_on_the_page(page_for, alice, bob):
    contract = Contract.objects.get(is_default=True)
    contract.targets.get_or_create(kind="intervene", priority=3, defaults={"minutes": 240})
    ticket = make_ticket(bob, title="Printer on fire")
    page = page_for(alice)
    page.goto(f"/tickets/{ticket.pk}/")
    clocks = page.locator("table.clocks")
    expect(clocks).to_contain_text("Time to own")
    expect(clocks).not_to_contain_text("Time to intervene on site")

    page.locator("#form-visit summary").click()
    page.locator("#id_visit_note").fill("Replace the fuser unit")
    page.locator("#form-visit").get_by_role("button", name="Require a visit").click()

    expect(page.locator(".flash")).to_contain_text("time to intervene")
    expect(page.locator("table.clocks")).to_contain_text("Time to intervene on site")
    expect(page.get_by_role("button", name="Arrived on site")).to_be_visible()


def test_the_at_risk_board_lists_an_overdue_ticket(page_for, sam, bob):
    make_ticket(bob, title="Mail server down", at=timezone.now() - timedelta(days=20))
    page = page_for(sam)
    page.goto("/tickets/")

    page.get_by_role("link", name="At risk").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Tickets at risk")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Mail server down").first  # a row per clock
    expect(row).to_contain_text("Overdue")
