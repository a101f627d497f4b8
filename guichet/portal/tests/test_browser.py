"""The requester answers a proposed solution in a real browser: refuse, then accept and rate."""

import pytest
from playwright.sync_api import expect

from guichet.tickets import actions
from guichet.tickets.choices import Status
from guichet.tickets.models import Ticket
from guichet.tickets.tests.factories import make_ticket


@pytest.mark.browser
def test_bob_refuses_then_accepts_and_rates_a_solution(page_for, bob, alice):
    # given a ticket alice solved
    ticket = make_ticket(bob, title="Screen flickers")
    actions.assign(ticket=ticket, actor=alice, assignee=alice)
    actions.solve(ticket=ticket, actor=alice, solution="Replaced the cable.")
    page = page_for(bob)
    expect(page.get_by_role("heading", name="My tickets")).to_be_visible()

    # when bob opens it and refuses the solution with a reason
    page.get_by_role("link", name="Screen flickers").click()
    expect(page.locator("#ticket-status")).to_have_text("Solved: please confirm")
    solution = page.get_by_role("region", name="Proposed solution")
    expect(solution.get_by_text("Replaced the cable.")).to_be_visible()
    page.get_by_text("Refuse (say why)").click()
    page.get_by_label("What is still not working?").fill("It still flickers after lunch.")
    page.get_by_role("button", name="Refuse the solution").click()

    # then the ticket is reopened
    expect(page.locator("#ticket-status")).to_have_text("A technician is working on it")
    ticket.refresh_from_db()
    assert ticket.status == Status.ASSIGNED and ticket.reopen_count == 1
    history = page.get_by_role("region", name="History")
    expect(history.get_by_text("It still flickers after lunch.")).to_be_visible()

    # when alice solves it again and bob accepts
    actions.solve(ticket=ticket, actor=alice, solution="Replaced the screen.")
    page.reload()
    expect(solution.get_by_text("Replaced the screen.")).to_be_visible()
    page.get_by_role("button", name="Accept: it is solved").click()
    expect(page.locator("#ticket-status")).to_have_text("Closed")
    assert Ticket.objects.get(pk=ticket.pk).status == Status.CLOSED

    # and rates it 5 with a comment
    group = page.get_by_role(
        "group", name="How satisfied are you with how this request was handled?"
    )
    group.get_by_label("5 – Very satisfied").check()
    page.get_by_label("A comment").fill("Patient and quick, thanks!")
    page.get_by_role("button", name="Send my opinion").click()
    expect(page.get_by_text("You rated this request 5 out of 5")).to_be_visible()
    ticket.refresh_from_db()
    assert (ticket.satisfaction, ticket.satisfaction_comment) == (5, "Patient and quick, thanks!")
