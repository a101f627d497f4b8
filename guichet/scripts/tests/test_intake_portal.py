"""A script run in phone intake, attached to the ticket created; self-diagnosis in the portal."""

import pytest

from guichet.scripts.choices import RunStatus
from guichet.scripts.models import ScriptRun
from guichet.scripts.tests.factories import make_script, small_tree, text
from guichet.tickets.choices import EventKind, Status
from guichet.tickets.models import Category, Ticket

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
BOX = text("Box redémarrée", "Box restarted")


def walk(client, channel, answers, **data):
    client.post("/scripts/runs/start/", {"channel": channel, **data}, **HTMX)
    run = ScriptRun.objects.latest("pk")
    response = None
    for index in answers:
        response = client.post(f"/scripts/runs/{run.pk}/step/", {"answer": index}, **HTMX)
    run.refresh_from_db()
    return run, response


def intake_post(client, bob, **extra):
    data = {"requester": bob.pk, "type": "incident", "impact": 4, "urgency": 4,
            "title": "Plus d'Internet", "description": "", **extra}  # fmt: skip
    return client.post("/tickets/intake/", data)


def test_an_intake_outcome_fills_the_form_and_offers_to_solve(alice_client):
    script = make_script(definition=small_tree(category="network-access", impact=4, urgency=4,
                                                solve=BOX))  # fmt: skip
    assert "No link" in alice_client.get("/scripts/intake/panel").content.decode()
    run, response = walk(alice_client, "intake", [0, 0, 0], script=script.pk)
    page = response.content.decode()
    category = Category.objects.get(code="network-access")
    assert f'data-category="{category.pk}"' in page and 'data-impact="4"' in page
    assert 'name="script_run"' in page and 'form="intake-form"' in page
    assert "Create the ticket solved at once" in page
    assert run.ticket is None and run.status == RunStatus.FINISHED


def test_submitting_intake_attaches_the_run_and_solves_when_asked(alice_client, bob):
    script = make_script(definition=small_tree(category="network-access",
                                                solve=BOX))  # fmt: skip
    run, _response = walk(alice_client, "intake", [0, 0, 0], script=script.pk)
    response = intake_post(alice_client, bob, script_run=run.pk, script_solve="1")
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    run.refresh_from_db()
    assert run.ticket == ticket and run.solved
    assert ticket.status == Status.SOLVED
    notes = list(ticket.events.filter(kind=EventKind.SCRIPT).values_list("note", flat=True))
    assert "Script “No link”, v1 — Is the link light on? → Yes" in notes
    assert notes[-1] == "Script “No link”, v1 — outcome: Fixed"


def test_submitting_intake_without_solving_keeps_the_ticket_open(alice_client, bob):
    script = make_script(definition=small_tree(solve=text("ok")))
    run, _response = walk(alice_client, "intake", [0, 0, 0], script=script.pk)
    intake_post(alice_client, bob, script_run=run.pk)
    ticket = Ticket.objects.get()
    assert ticket.status == Status.NEW
    run.refresh_from_db()
    assert run.ticket == ticket and not run.solved


def test_intake_refuses_a_run_of_another_user_and_creates_nothing(alice_client, sam, bob):
    from guichet.scripts import actions

    other = actions.start_run(script=make_script(), actor=sam, channel="intake")
    response = intake_post(alice_client, bob, script_run=other.pk)
    assert response.status_code == 400
    assert "cannot be attached" in response.content.decode()
    assert not Ticket.objects.exists()
    response = intake_post(alice_client, bob, script_run="99999999999999999999999")
    assert response.status_code == 400


def test_the_portal_offers_only_portal_scripts_category_first(bob_client):
    hidden = make_script("hidden")
    printer = Category.objects.get(code="hardware-printer")
    other = make_script("a-net", in_portal=True)
    mine = make_script("z-print", in_portal=True, category=printer)
    page = bob_client.get("/scripts/portal/panel?category=hardware-printer").content.decode()
    assert "Try to solve it yourself" in page
    assert f'value="{hidden.pk}"' not in page
    assert page.index(f'value="{mine.pk}"') < page.index(f'value="{other.pk}"')


def test_a_requester_solves_it_himself_and_no_ticket_is_opened(bob_client):
    script = make_script(in_portal=True, definition=small_tree(solve=text("ok")))
    run, response = walk(bob_client, "portal", [0, 0, 0], script=script.pk)
    assert "This solved my problem" in response.content.decode()
    response = bob_client.post(f"/scripts/runs/{run.pk}/step/", {"action": "solved"}, **HTMX)
    assert "No request was sent" in response.content.decode()
    run.refresh_from_db()
    assert run.solved and run.ticket is None and not Ticket.objects.exists()


def test_i_still_need_help_hands_the_answers_to_the_form(bob_client):
    script = make_script(in_portal=True, definition=small_tree(solve=text("ok")))
    run, _response = walk(bob_client, "portal", [1], script=script.pk)
    response = bob_client.post(f"/scripts/runs/{run.pk}/step/", {"action": "help"}, **HTMX)
    page = response.content.decode()
    assert "data-append-description" in page and "Is the link light on? → No" in page
    run.refresh_from_db()
    assert not run.solved


def test_a_requester_cannot_claim_a_solution_that_was_not_reached(bob_client):
    script = make_script(in_portal=True)
    run, _response = walk(bob_client, "portal", [1], script=script.pk)  # cable: no solve
    response = bob_client.post(f"/scripts/runs/{run.pk}/step/", {"action": "solved"}, **HTMX)
    assert response.status_code == 400
    run.refresh_from_db()
    assert not run.solved


def test_charlie_never_sees_or_walks_bobs_run(bob_client, charlie_client):
    script = make_script(in_portal=True)
    run, _response = walk(bob_client, "portal", [0], script=script.pk)
    assert charlie_client.get(f"/scripts/runs/{run.pk}/").status_code == 404
    response = charlie_client.post(f"/scripts/runs/{run.pk}/step/", {"answer": 0}, **HTMX)
    assert response.status_code == 404
    run.refresh_from_db()
    assert len(run.path) == 1


def test_a_requester_cannot_start_a_script_not_offered_in_the_portal(bob_client):
    script = make_script()
    response = bob_client.post("/scripts/runs/start/", {"channel": "portal", "script": script.pk},
                               **HTMX)  # fmt: skip
    assert response.status_code == 400
    assert not ScriptRun.objects.exists()
