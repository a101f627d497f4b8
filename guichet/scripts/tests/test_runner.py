"""Running a script on a ticket through HTTP: answer, back, stop, outcomes applied, outsiders."""

import pytest

from guichet.scripts.choices import RunStatus
from guichet.scripts.models import ScriptRun
from guichet.scripts.tests.factories import make_script, small_tree, text
from guichet.tickets.choices import EventKind, Status
from guichet.tickets.models import Category, Ticket
from guichet.tickets.tests.factories import make_ticket

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
BOX = text("Box redémarrée", "Box restarted")


@pytest.fixture
def ticket(bob, alice):
    return make_ticket(bob, title="No Internet since this morning")


def start(client, script, ticket, **headers):
    data = {"script": script.pk, "channel": "ticket", "ticket": ticket.pk}
    return client.post("/scripts/runs/start/", data, **{**HTMX, **headers})


def step(client, run, **data):
    return client.post(f"/scripts/runs/{run.pk}/step/", data, **HTMX)


def test_alice_walks_a_script_on_the_ticket_and_its_outcome_is_applied(alice_client, ticket):
    # given a script whose outcome qualifies and solves
    script = make_script(definition=small_tree(category="network-access", type="request",
                                                impact=4, urgency=5, solve=BOX))  # fmt: skip
    # when alice starts it and answers Yes, Done, Yes
    response = start(alice_client, script, ticket)
    assert response.status_code == 200
    assert "Is the link light on?" in response.content.decode()
    run = ScriptRun.objects.get()
    assert run.version == script.current and run.ticket == ticket
    assert "Restart the box." in step(alice_client, run, answer=0).content.decode()
    step(alice_client, run, answer=0)
    response = step(alice_client, run, answer=0)
    # then the run is finished and solved, the ticket qualified and solved
    assert response.status_code == 200
    assert "Fixed" in response.content.decode()
    run.refresh_from_db()
    assert (run.status, run.outcome, run.solved) == (RunStatus.FINISHED, "fixed", True)
    assert [s["node"] for s in run.path] == ["link", "restart", "gateway"]
    ticket.refresh_from_db()
    assert ticket.category == Category.objects.get(code="network-access")
    assert (ticket.type, ticket.impact, ticket.urgency) == ("request", 4, 5)
    assert ticket.status == Status.SOLVED and ticket.solution == "Box restarted"
    notes = list(ticket.events.filter(kind=EventKind.SCRIPT).values_list("note", flat=True))
    assert notes[1] == "Script “No link”, v1 — Is the link light on? → Yes"
    assert notes[2] == "Script “No link”, v1 — Restart the box. → Done, continue"
    assert notes[-1] == "Script “No link”, v1 — outcome: Fixed"


def test_back_one_step_undoes_the_last_answer_and_is_recorded(alice_client, ticket):
    script = make_script()
    start(alice_client, script, ticket)
    run = ScriptRun.objects.get()
    step(alice_client, run, answer=0)
    response = step(alice_client, run, action="back")
    assert "Is the link light on?" in response.content.decode()
    run.refresh_from_db()
    assert run.node == "link" and run.path[-1]["back"] is True
    assert ticket.events.filter(kind=EventKind.SCRIPT, note__contains="step back").count() == 1
    # nothing left to undo: a clear refusal, not a 500
    response = step(alice_client, run, action="back")
    assert response.status_code == 400
    assert "nothing to undo" in response.content.decode()


def test_stop_abandons_the_run_at_its_node(alice_client, ticket):
    start(alice_client, make_script(), ticket)
    run = ScriptRun.objects.get()
    step(alice_client, run, answer=0)
    step(alice_client, run, action="stop")
    run.refresh_from_db()
    assert (run.status, run.node) == (RunStatus.ABANDONED, "restart")
    assert step(alice_client, run, answer=0).status_code == 400  # over


def test_an_outcome_can_require_a_visit_and_escalate(alice_client, ticket, support_team):
    from guichet.accounts.tests.factories import make_team

    make_team("Réseau", organisations=[ticket.organisation], level=3)
    script = make_script(definition=small_tree(escalate="Réseau", visit=True, solve=text("x")))
    start(alice_client, script, ticket)
    run = ScriptRun.objects.get()
    for _i in range(3):
        step(alice_client, run, answer=0)
    ticket.refresh_from_db()
    assert ticket.team.name == "Réseau"
    assert ticket.status != Status.SOLVED  # an escalation does not solve
    assert ticket.events.filter(kind=EventKind.VISIT, new_value="required").exists()
    run.refresh_from_db()
    assert run.solved is False


def test_an_outcome_links_its_article(alice_client, alice, ticket):
    from guichet.knowledge.actions import create_article
    from guichet.knowledge.models import ArticleTicket

    article = create_article(actor=alice, title_fr="Redémarrer la box", body_fr="…")
    script = make_script(definition=small_tree(article=article.pk, solve=text("ok")))
    start(alice_client, script, ticket)
    run = ScriptRun.objects.get()
    for _i in range(3):
        step(alice_client, run, answer=0)
    link = ArticleTicket.objects.get(ticket=ticket)
    assert link.article == article and link.solved


def test_a_wrong_answer_index_is_a_clear_error(alice_client, ticket):
    start(alice_client, make_script(), ticket)
    run = ScriptRun.objects.get()
    for bad in ("7", "-1", "abc", ""):
        response = step(alice_client, run, answer=bad)
        assert response.status_code == 400
        assert "Choose one of the answers." in response.content.decode()
    run.refresh_from_db()
    assert run.path == [] and run.node == "link"


def test_the_ticket_panel_offers_scripts_and_shows_the_last_path(alice_client, ticket):
    make_script()
    response = alice_client.get(f"/scripts/ticket/{ticket.pk}/panel")
    assert response.status_code == 200
    assert "No link" in response.content.decode()
    run = ScriptRun.objects.none()
    start(alice_client, make_script("other"), ticket)
    run = ScriptRun.objects.get()
    step(alice_client, run, answer=1)  # No → cable (outcome)
    page = alice_client.get(f"/scripts/ticket/{ticket.pk}/panel").content.decode()
    assert "Path taken" in page and "Cable to replace" in page


def test_a_ticket_run_records_the_version_it_followed(alice_client, ticket):
    from guichet.scripts import actions

    script = make_script()
    start(alice_client, script, ticket)
    first = ScriptRun.objects.get()
    actions.save_version(script=script, actor=None, definition=small_tree(impact=2))
    start(alice_client, script, ticket)
    second = ScriptRun.objects.exclude(pk=first.pk).get()
    assert (first.version.number, second.version.number) == (1, 2)


def test_without_javascript_the_forms_land_on_the_run_page(alice_client, ticket):
    script = make_script()
    response = alice_client.post(
        "/scripts/runs/start/", {"script": script.pk, "channel": "ticket", "ticket": ticket.pk}
    )
    run = ScriptRun.objects.get()
    assert response.status_code == 302 and response.url == f"/scripts/runs/{run.pk}/"
    response = alice_client.post(f"/scripts/runs/{run.pk}/step/", {"answer": "0"}, follow=True)
    assert "Restart the box." in response.content.decode()


# --- Outsiders -----------------------------------------------------------------------------


def test_dave_cannot_see_the_panel_or_run_a_script_on_acmes_ticket(dave_client, ticket):
    script = make_script()
    assert dave_client.get(f"/scripts/ticket/{ticket.pk}/panel").status_code == 404
    assert start(dave_client, script, ticket).status_code == 404
    assert not ScriptRun.objects.exists()


def test_dave_cannot_step_alices_run(alice_client, dave_client, ticket):
    start(alice_client, make_script(), ticket)
    run = ScriptRun.objects.get()
    assert step(dave_client, run, answer=0).status_code == 404
    assert dave_client.get(f"/scripts/runs/{run.pk}/").status_code == 404
    run.refresh_from_db()
    assert run.path == []


def test_requesters_cannot_use_the_staff_panels(bob_client, charlie_client, ticket):
    script = make_script()
    assert bob_client.get(f"/scripts/ticket/{ticket.pk}/panel").status_code == 404
    assert charlie_client.get(f"/scripts/ticket/{ticket.pk}/panel").status_code == 404
    assert bob_client.get("/scripts/intake/panel").status_code == 403
    assert start(bob_client, script, ticket).status_code in (400, 403, 404)
    response = bob_client.post("/scripts/runs/start/", {"script": script.pk, "channel": "intake"},
                               **HTMX)  # fmt: skip
    assert response.status_code in (400, 403)
    assert not ScriptRun.objects.exists()


def test_a_step_on_a_missing_run_is_404(alice_client):
    assert step(alice_client, ScriptRun(pk=999999)).status_code == 404


def test_an_unknown_step_is_refused(alice_client, ticket):
    start(alice_client, make_script(), ticket)
    run = ScriptRun.objects.get()
    assert step(alice_client, run, action="explode").status_code == 400


def test_the_ticket_stays_unchanged_if_it_was_closed_meanwhile(alice_client, alice, ticket):
    from guichet.tickets import actions as tickets

    script = make_script(definition=small_tree(impact=5, solve=text("x")))
    start(alice_client, script, ticket)
    run = ScriptRun.objects.get()
    step(alice_client, run, answer=0)
    step(alice_client, run, answer=0)
    tickets.solve(ticket=ticket, actor=alice, solution="Done by hand")
    assert step(alice_client, run, answer=0).status_code == 200
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.solution == "Done by hand" and ticket.impact == 3
