"""A script run on the ticket page in a real browser, with the keyboard only."""

import pytest
from django.apps import apps
from playwright.sync_api import expect

from guichet.scripts import seed
from guichet.scripts.models import ScriptRun
from guichet.scripts.tests.factories import make_script, small_tree, text
from guichet.tickets.choices import Status
from guichet.tickets.tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_runs_a_script_on_the_ticket_with_the_keyboard_only(page_for, alice, bob):
    seed.load(apps)  # the database of a live-server test starts empty of seeded scripts
    script = make_script(definition=small_tree(solve=text("Box redémarrée", "Box restarted")))
    ticket = make_ticket(bob, title="No Internet")
    page = page_for(alice)
    page.goto(f"/tickets/{ticket.pk}/")
    page.wait_for_load_state("networkidle")  # every help panel of the page has arrived

    _walk(page)
    run = ScriptRun.objects.get(ticket=ticket)
    assert run.solved and run.outcome == "fixed"
    ticket.refresh_from_db()
    assert ticket.status == Status.SOLVED
    assert script.pk == run.version.script_id


def enter(page):
    """Enter, once htmx has bound the new forms (a person reads the question first; a test
    pressing within milliseconds would otherwise post the plain, no-JavaScript way)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('#script-panel form'))
        .every(f => f['htmx-internal-data'] && f['htmx-internal-data'].initHash)""",
        timeout=5000,
    )
    page.keyboard.press("Enter")


def _walk(page):
    choice = page.locator("#script-choice-ticket")
    choice.focus()
    page.keyboard.type("No link")
    page.keyboard.press("Tab")
    enter(page)

    # The first answer has the focus: Enter answers "Yes", then "Done", then "Yes" again.
    first = page.locator(".script-answers button").first
    expect(first).to_be_focused()
    expect(page.locator("#script-node-text")).to_have_text("Is the link light on?")
    enter(page)
    expect(page.locator("#script-node-text")).to_have_text("Restart the box.")
    expect(page.locator(".script-answers button").first).to_be_focused()
    enter(page)
    expect(page.locator("#script-node-text")).to_have_text("Does the gateway answer?")
    expect(page.locator(".script-answers button").first).to_be_focused()
    # Tab to "No" goes back to the first question; then back one step with the keyboard.
    page.keyboard.press("Tab")
    enter(page)
    expect(page.locator("#script-node-text")).to_have_text("Is the link light on?")
    expect(page.locator(".script-answers button").first).to_be_focused()
    page.locator("button[value=back]").focus()
    enter(page)
    expect(page.locator("#script-node-text")).to_have_text("Does the gateway answer?")
    expect(page.locator(".script-answers button").first).to_be_focused()
    enter(page)

    expect(page.locator("#script-outcome-text")).to_have_text("Fixed")
    expect(page.locator("#script-outcome-text")).to_be_focused()
