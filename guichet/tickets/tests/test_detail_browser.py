"""The ticket page in a real browser: quick actions swap the ticket in place through htmx."""

import pytest
from playwright.sync_api import expect

from guichet.tickets.choices import Status
from guichet.tickets.models import PendingReason, Ticket
from guichet.tickets.tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_assign_to_me_updates_the_page_in_place(page_for, alice, bob):
    ticket = make_ticket(bob, title="Scanner offline")
    page = page_for(alice)
    page.goto(f"/tickets/{ticket.pk}/")
    expect(page.locator(".ticket-head")).to_contain_text("Unassigned")
    page.evaluate("window.notReloaded = true")

    page.get_by_role("button", name="Assign to me").click()

    expect(page.locator(".flash")).to_have_text("The ticket is assigned to you.")
    expect(page.locator(".flash")).to_be_focused()
    expect(page.locator(".ticket-head")).to_contain_text("Alice Test")
    expect(page.get_by_role("button", name="Assign to me")).to_have_count(0)
    assert page.evaluate("window.notReloaded") is True  # swapped by htmx, not a reload
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.assignee_id, ticket.status) == (alice.pk, Status.ASSIGNED)


def test_a_refused_action_shows_its_error_in_place(page_for, alice, bob):
    # Made again if an earlier browser test emptied the seeded reference data.
    PendingReason.objects.get_or_create(
        code="supplier",
        defaults={"name_fr": "En attente du fournisseur", "name_en": "Waiting for a supplier"},
    )
    ticket = make_ticket(bob, title="Scanner offline")
    page = page_for(alice)
    page.goto(f"/tickets/{ticket.pk}/")
    page.locator("#form-pending summary").click()
    page.locator("#id_pending_reason").select_option(label="Waiting for a supplier")
    page.locator("#id_pending_until").fill("2001-01-01T10:00")
    page.locator("#form-pending").get_by_role("button", name="Put on hold").click()

    expect(page.locator("#id_pending_until_error")).to_have_text("Must be in the future.")
    expect(page.locator("#id_pending_until")).to_be_focused()
    assert Ticket.objects.get(pk=ticket.pk).status == Status.NEW
