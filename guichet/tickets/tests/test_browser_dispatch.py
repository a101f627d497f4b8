"""The dispatch board in a real browser: sam hands an unassigned ticket to alice."""

import pytest

from guichet.accounts.tests.factories import make_staff
from guichet.tickets.models import Ticket
from guichet.tickets.tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sam_assigns_a_ticket_to_alice_by_clicking(page_for, sam, alice, bob, support_team):
    # given an unassigned ticket and another one that stays in the queue
    ticket = make_ticket(bob, title="Wifi down in room 4", impact=4, urgency=4)
    other = make_ticket(bob, title="Toner empty")
    page = page_for(sam)

    # when sam opens the board, chooses the ticket, then alice
    page.goto("/tickets/dispatch/")
    row = page.locator(f'#unassigned-list li[data-ticket="{ticket.pk}"]')
    row.get_by_role("radio").check()
    alice_row = page.locator(f'tr[data-technician="{alice.pk}"]')
    assert alice_row.locator("[data-total]").inner_text() == "0"
    page.get_by_role("button", name="Assign to Alice Test").click()

    # then the board is swapped in place: the ticket left the unassigned column
    row.wait_for(state="detached")
    assert page.url.endswith("/tickets/dispatch/")
    assert page.locator(f'#unassigned-list li[data-ticket="{other.pk}"]').is_visible()
    assert alice_row.locator("[data-total]").inner_text() == "1"
    assert "assigned to Alice Test" in page.locator("#dispatch-status").inner_text()
    # and the assignment is in the database, with the team of the technician
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.assignee_id, ticket.team_id) == (alice.pk, support_team.pk)


def test_sam_assigns_with_the_keyboard_only(page_for, sam, alice, bob, support_team):
    make_staff("aaron", teams=[support_team])  # listed first: an accidental submit goes to him
    ticket = make_ticket(bob, title="Screen flickers")
    page = page_for(sam)
    page.goto("/tickets/dispatch/")

    # Tab into the ticket list, choose with Space, then Tab on to alice's button.
    radio = page.get_by_role("radio", name=f"#{ticket.pk} Screen flickers")
    radio.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Enter")  # Enter on a ticket must not assign it to anyone
    # The board comes back with the reason; only then is it the page to Tab through.
    page.get_by_role("alert").get_by_text(f"Ticket #{ticket.pk} is chosen").wait_for()
    assert page.locator(f"#pick-{ticket.pk}").is_checked()
    button = page.get_by_role("button", name="Assign to Alice Test")
    for _ in range(10):
        if button.evaluate("b => b === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")

    page.locator(f'#unassigned-list li[data-ticket="{ticket.pk}"]').wait_for(state="detached")
    assert Ticket.objects.get(pk=ticket.pk).assignee_id == alice.pk
