"""The mail channel in a real browser: a requester answers a proposed solution from the link
in their mail with the keyboard alone, without signing in; a technician reads a mailed reply
with its quoted history folded."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from guichet.mail.actions.ingest import ingest
from guichet.mail.choices import MailKind
from guichet.mail.models import OutboundMessage
from guichet.mail.tests.factories import make_mailbox, message
from guichet.tickets import actions
from guichet.tickets.choices import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_requester_accepts_a_solution_from_the_mail_with_the_keyboard(
    browser, live_server, alice, bob
):
    ticket = actions.open_ticket(actor=alice, requester=bob, title="Scanner stuck")
    actions.solve(ticket=ticket, actor=alice, solution="Cleared the paper jam.")
    url = OutboundMessage.objects.get(kind=MailKind.SOLUTION).context["accept_url"]
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    parts = urlsplit(url)
    page.goto(f"{parts.path}?{parts.query}")

    expect(page.get_by_text("Cleared the paper jam.")).to_be_visible()
    accept = page.get_by_role("button", name="Accept: it is solved")
    expect(accept).to_be_focused()  # the mail said "accept": the button waits for Enter
    page.keyboard.press("Enter")

    expect(page.locator("#answer-done")).to_contain_text("the ticket is closed")
    ticket.refresh_from_db()
    assert ticket.status == Status.CLOSED
    context.close()


def test_a_mailed_reply_shows_its_text_with_the_quoted_history_folded(
    page_for, alice, bob, support_team
):
    mailbox = make_mailbox(team=support_team)
    ticket = ingest(raw=message(sender=bob.email), mailbox=mailbox).message.ticket
    reply = (
        "It works again, thank you!\n\n"
        "On Mon, 30 Nov 2026 at 14:02, Support <support@desk.test> wrote:\n"
        "> Please restart the printer.\n> Regards\n"
    )
    ingest(
        raw=message(sender=bob.email, subject=f"Re: [#{ticket.pk}]", text=reply), mailbox=mailbox
    )
    page = page_for(alice)
    page.goto(f"/tickets/{ticket.pk}/")

    expect(page.get_by_text("It works again, thank you!")).to_be_visible()
    expect(page.get_by_text("Please restart the printer.")).to_be_hidden()
    page.get_by_text("Show the quoted text").click()
    expect(page.get_by_text("Please restart the printer.")).to_be_visible()
    expect(page.get_by_role("link", name="Original message (.eml")).to_have_count(2)
