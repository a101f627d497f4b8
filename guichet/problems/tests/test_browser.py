"""The main flow in a real browser, with the keyboard: from an incident's page, create a
problem, write its workaround, publish it as a known error and tell the incidents."""

import pytest
from playwright.sync_api import expect

from guichet.knowledge.models import Article
from guichet.problems.choices import ProblemStatus
from guichet.problems.models import Problem
from guichet.tickets.tests.factories import make_ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_alice_turns_an_incident_into_a_published_known_error_with_the_keyboard(
    page_for, alice, bob
):
    ticket = make_ticket(bob, title="Printer driver crashes after the update")
    page = page_for(alice)
    page.goto(f"/tickets/{ticket.pk}/")

    # The panel arrives after the page; its button is a link reached and followed by keyboard.
    create = page.get_by_role("link", name="Create a problem from this incident")
    expect(create).to_be_visible()
    create.focus()
    page.keyboard.press("Enter")

    title = page.get_by_label("Title")
    expect(title).to_have_value("Printer driver crashes after the update")
    workaround = page.get_by_label("Workaround")
    workaround.focus()
    page.keyboard.type("Reinstall driver 5.1 from the software share.")
    page.keyboard.press("Tab")  # on to the permanent fix
    page.keyboard.type("Vendor patch expected next week.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Create the problem")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_contain_text("Printer driver crashes")
    expect(page.locator("#workaround")).to_contain_text("Reinstall driver 5.1")
    page.get_by_label("Post the workaround to the linked open incidents").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Publish as known error")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text("The known error is published.")
    expect(page.get_by_role("button", name="Update the known error")).to_be_visible()
    problem = Problem.objects.get()
    assert problem.status == ProblemStatus.KNOWN_ERROR
    assert problem.known_error == Article.objects.get()
    assert ticket.followups.get().body.endswith("Reinstall driver 5.1 from the software share.")

    # Back on the incident, the panel shows the known error's workaround.
    page.goto(f"/tickets/{ticket.pk}/")
    expect(page.locator("#problems-panel")).to_contain_text("Known error — workaround:")
