"""The ticket page's actions through HTTP: each route, its errors, and who may call it."""

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import make_staff, make_team
from guichet.tickets import actions
from guichet.tickets.choices import EventKind, Status
from guichet.tickets.models import PendingReason, SolutionType, Ticket
from guichet.tickets.tests.factories import category, make_ticket

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def ticket(bob):
    return make_ticket(bob, title="Printer jams")


def route(name, ticket, *args):
    return reverse(f"tickets:{name}", args=[ticket.pk, *args])


def refresh(ticket) -> Ticket:
    return Ticket.objects.get(pk=ticket.pk)


# --- Who may post ---------------------------------------------------------------------------

ROUTES = [
    "detail-assign-me",
    "detail-assign",
    "detail-escalate",
    "detail-escalate-up",
    "detail-pending",
    "detail-resume",
    "detail-plan",
    "detail-solve",
    "detail-reopen",
    "detail-close",
    "detail-qualification",
    "detail-followup",
    "detail-task",
    "detail-attachment-add",
    "detail-link",
    "detail-merge",
    "detail-watch",
    "detail-visit",
    "detail-arrival",
    "detail-contract",
]


@pytest.mark.parametrize("name", ROUTES)
def test_charlie_and_dave_get_404_on_every_action(name, charlie_client, dave_client, ticket):
    for client in (charlie_client, dave_client):
        response = client.post(route(name, ticket), {"note": "x", "body": "x"})
        assert response.status_code == 404
    assert refresh(ticket).events.count() == 1  # nothing happened


@pytest.mark.parametrize("name", ROUTES)
def test_bob_may_not_use_the_staff_actions(name, bob_client, ticket):
    response = bob_client.post(route(name, ticket), {"body": "hello"})
    assert response.status_code == 403
    assert refresh(ticket).events.count() == 1


def test_per_item_routes_refuse_outsiders(charlie_client, dave_client, ticket, alice, bob):
    task = actions.add_task(ticket=ticket, actor=alice, description="Check toner")
    actions.add_watcher(ticket=ticket, actor=alice, user=bob)
    for client in (charlie_client, dave_client):
        assert (
            client.post(route("detail-task-update", ticket, task.pk), {"done": "on"}).status_code
            == 404
        )
        assert client.post(route("detail-unwatch", ticket, bob.pk)).status_code == 404
    assert not refresh(ticket).tasks.get().done
    assert refresh(ticket).watchers.filter(pk=bob.pk).exists()


def test_actions_only_answer_post(alice_client, ticket):
    assert alice_client.get(route("detail-assign-me", ticket)).status_code == 405


# --- Assignment and escalation --------------------------------------------------------------


def test_assign_to_me_with_htmx_swaps_the_ticket(alice_client, ticket, alice):
    response = alice_client.post(route("detail-assign-me", ticket), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="ticket"')
    assert "The ticket is assigned to you." in html
    assert "Alice Test" in html
    ticket = refresh(ticket)
    assert (ticket.assignee, ticket.status) == (alice, Status.ASSIGNED)


def test_assign_to_me_without_htmx_redirects_with_a_message(alice_client, ticket):
    response = alice_client.post(route("detail-assign-me", ticket), follow=True)
    assert response.redirect_chain[-1][0] == reverse("tickets:detail", args=[ticket.pk])
    assert "The ticket is assigned to you." in response.content.decode()


def test_assign_to_a_team_and_technician(alice_client, ticket, support_team, sam):
    response = alice_client.post(
        route("detail-assign", ticket), {"team": support_team.pk, "assignee": sam.pk}, **HTMX
    )
    assert response.status_code == 200
    ticket = refresh(ticket)
    assert (ticket.team, ticket.assignee) == (support_team, sam)


def test_assign_to_a_requester_is_refused_next_to_the_field(alice_client, ticket, bob):
    response = alice_client.post(route("detail-assign", ticket), {"assignee": bob.pk}, **HTMX)
    assert response.status_code == 422
    assert response["HX-Retarget"] == "#form-assign"
    assert "Select a valid choice" in response.content.decode()
    assert refresh(ticket).assignee is None


def test_assign_a_closed_ticket_is_a_conflict(alice_client, ticket, alice):
    actions.solve(ticket=ticket, actor=alice, solution="Done")
    actions.close(ticket=ticket, actor=alice)
    response = alice_client.post(route("detail-assign-me", ticket), **HTMX)
    assert response.status_code == 409
    assert "Only an open ticket can be assigned." in response.content.decode()
    response = alice_client.post(route("detail-assign-me", ticket))
    assert response.status_code == 409
    assert "Only an open ticket can be assigned." in response.content.decode()


def test_functional_escalation_needs_a_note(alice_client, ticket):
    level2 = make_team("Level 2", level=2)
    response = alice_client.post(route("detail-escalate", ticket), {"team": level2.pk}, **HTMX)
    assert response.status_code == 422
    assert 'id="id_escalate_note_error"' in response.content.decode()
    response = alice_client.post(route("detail-escalate", ticket), {"team": level2.pk})
    assert response.status_code == 400
    html = response.content.decode()  # without htmx: the whole page, the form open with errors
    assert "<details open>" in html
    assert 'id="id_escalate_note_error"' in html
    assert "Printer jams" in html
    response = alice_client.post(
        route("detail-escalate", ticket), {"team": level2.pk, "note": "Needs N2"}, **HTMX
    )
    assert response.status_code == 200
    assert refresh(ticket).team == level2
    assert refresh(ticket).events.filter(kind=EventKind.ESCALATED, note="Needs N2").exists()


def test_escalation_to_the_supervisor(alice_client, ticket, sam):
    response = alice_client.post(route("detail-escalate-up", ticket), {"note": "Angry client"})
    assert response.status_code == 302
    assert refresh(ticket).escalated
    assert sam.notifications.filter(kind="escalated_up").exists()
    assert alice_client.post(route("detail-escalate-up", ticket), {"note": " "}).status_code == 400


# --- Status changes -------------------------------------------------------------------------


def test_pending_then_resume(alice_client, ticket):
    reason = PendingReason.objects.get(code="customer")
    response = alice_client.post(
        route("detail-pending", ticket),
        {"reason": reason.pk, "until": "2999-01-01T09:00", "note": "Asked for the model"},
        **HTMX,
    )
    assert response.status_code == 200
    ticket = refresh(ticket)
    assert (ticket.status, ticket.pending_reason) == (Status.PENDING, reason)
    assert ticket.pending_until.year == 2999
    response = alice_client.post(route("detail-resume", ticket), **HTMX)
    assert response.status_code == 200
    assert refresh(ticket).status == Status.NEW


def test_pending_errors_are_shown_next_to_the_fields(alice_client, ticket):
    reason = PendingReason.objects.get(code="customer")
    response = alice_client.post(route("detail-pending", ticket), {"until": "soon"}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_pending_reason_error"' in html
    assert 'id="id_pending_until_error"' in html
    response = alice_client.post(
        route("detail-pending", ticket), {"reason": reason.pk, "until": "2001-01-01T09:00"}, **HTMX
    )
    assert response.status_code == 422
    assert "Must be in the future." in response.content.decode()
    assert refresh(ticket).status == Status.NEW


def test_resume_a_ticket_that_does_not_wait_is_a_conflict(alice_client, ticket):
    response = alice_client.post(route("detail-resume", ticket), **HTMX)
    assert response.status_code == 409
    assert "The ticket is not pending." in response.content.decode()


def test_plan(alice_client, ticket):
    assert alice_client.post(route("detail-plan", ticket), {}, **HTMX).status_code == 422
    response = alice_client.post(route("detail-plan", ticket), {"planned_for": "2999-03-01T14:30"})
    assert response.status_code == 302
    ticket = refresh(ticket)
    assert ticket.status == Status.PLANNED
    assert ticket.planned_for.year == 2999


def test_solve_close_and_reopen(alice_client, ticket):
    kind = SolutionType.objects.get(code="fixed")
    assert alice_client.post(route("detail-close", ticket), **HTMX).status_code == 409
    assert (
        alice_client.post(route("detail-solve", ticket), {"solution": ""}, **HTMX).status_code
        == 422
    )
    response = alice_client.post(
        route("detail-solve", ticket), {"solution": "New *toner*", "solution_type": kind.pk}, **HTMX
    )
    assert response.status_code == 200
    assert "New <em>toner</em>" in response.content.decode()
    assert refresh(ticket).status == Status.SOLVED
    assert alice_client.post(route("detail-close", ticket), **HTMX).status_code == 200
    assert refresh(ticket).status == Status.CLOSED
    assert alice_client.post(route("detail-reopen", ticket), {}, **HTMX).status_code == 422
    response = alice_client.post(route("detail-reopen", ticket), {"reason": "Jams again"}, **HTMX)
    assert response.status_code == 200
    ticket = refresh(ticket)
    assert (ticket.status, ticket.reopen_count) == (Status.NEW, 1)


def test_reopen_an_open_ticket_is_a_conflict(alice_client, ticket):
    response = alice_client.post(route("detail-reopen", ticket), {"reason": "x"})
    assert response.status_code == 409
    assert "Only a solved or closed ticket can be reopened." in response.content.decode()


# --- Qualification --------------------------------------------------------------------------


def qualification(**changes):
    data = {"title": "Printer jams", "type": "incident", "category": "", "impact": 3, "urgency": 3}
    data.update(changes)
    return data


def test_qualification_recomputes_the_priority(alice_client, ticket):
    printer = category("hardware-printer")
    response = alice_client.post(
        route("detail-qualification", ticket),
        qualification(
            title="Printer jams daily", type="request", category=printer.pk, impact=5, urgency=4
        ),
        **HTMX,
    )
    assert response.status_code == 200
    ticket = refresh(ticket)
    assert (ticket.title, ticket.type, ticket.category, ticket.priority) == (
        "Printer jams daily",
        "request",
        printer,
        5,
    )
    assert 'class="badge prio-5"' in response.content.decode()


def test_major_priority_needs_a_reason_and_can_be_lowered(alice_client, ticket):
    response = alice_client.post(
        route("detail-qualification", ticket), qualification(major="on"), **HTMX
    )
    assert response.status_code == 422
    assert 'id="id_qualification_major_reason_error"' in response.content.decode()
    response = alice_client.post(
        route("detail-qualification", ticket),
        qualification(major="on", major_reason="Whole floor cannot print"),
        **HTMX,
    )
    assert response.status_code == 200
    assert refresh(ticket).priority == 6
    assert "Whole floor cannot print" in response.content.decode()
    response = alice_client.post(
        route("detail-qualification", ticket), qualification(impact=1, urgency=1), **HTMX
    )
    assert response.status_code == 200
    assert refresh(ticket).priority == 1


def test_qualification_rejects_bad_values(alice_client, ticket):
    response = alice_client.post(
        route("detail-qualification", ticket),
        qualification(title="", impact=9, category="abc"),
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    for field in ("title", "impact", "category"):
        assert f'id="id_qualification_{field}_error"' in html
    assert refresh(ticket).title == "Printer jams"


# --- Conversation: follow-ups, tasks, files, links, watchers --------------------------------


def test_followups_public_and_internal(alice_client, ticket):
    response = alice_client.post(route("detail-followup", ticket), {"body": "Hello"}, **HTMX)
    assert response.status_code == 200
    response = alice_client.post(
        route("detail-followup", ticket), {"body": "Between us", "internal": "on"}, **HTMX
    )
    assert response.status_code == 200
    assert "The internal note was added." in response.content.decode()
    followups = list(refresh(ticket).followups.values_list("body", "is_internal"))
    assert followups == [("Hello", False), ("Between us", True)]
    assert (
        alice_client.post(route("detail-followup", ticket), {"body": " "}, **HTMX).status_code
        == 422
    )


def test_tasks_add_and_mark_done(alice_client, ticket):
    response = alice_client.post(
        route("detail-task", ticket),
        {"description": "Clean rollers", "duration_minutes": 15},
        **HTMX,
    )
    assert response.status_code == 200
    task = refresh(ticket).tasks.get()
    assert (task.done, task.duration_minutes) == (False, 15)
    response = alice_client.post(
        route("detail-task-update", ticket, task.pk), {"done": "on", "duration_minutes": 25}, **HTMX
    )
    assert response.status_code == 200
    task.refresh_from_db()
    assert (task.done, task.duration_minutes) == (True, 25)
    assert "Time spent on tasks: 25 min" in response.content.decode()


def test_task_errors(alice_client, ticket, alice, bob):
    response = alice_client.post(
        route("detail-task", ticket), {"description": "", "duration_minutes": -3}, **HTMX
    )
    assert response.status_code == 422
    other = make_ticket(bob, title="Other")
    task = actions.add_task(ticket=other, actor=alice, description="Elsewhere")
    # A task of another ticket cannot be reached through this one.
    response = alice_client.post(route("detail-task-update", ticket, task.pk), {"done": "on"})
    assert response.status_code == 404
    response = alice_client.post(
        route("detail-task-update", other, task.pk), {"duration_minutes": "many"}, **HTMX
    )
    assert response.status_code == 422
    assert response["HX-Retarget"] == f"#form-task_{task.pk}"


def test_links_by_ticket_number(alice_client, ticket, bob, charlie):
    other = make_ticket(bob, title="Toner empty")
    response = alice_client.post(
        route("detail-link", ticket), {"kind": "related", "target": f"#{other.pk}"}, **HTMX
    )
    assert response.status_code == 200
    assert f"#{other.pk}</a> Toner empty" in response.content.decode()
    response = alice_client.post(
        route("detail-link", ticket), {"kind": "related", "target": other.pk}, **HTMX
    )
    assert response.status_code == 409
    assert (
        alice_client.post(
            route("detail-link", ticket), {"kind": "related", "target": "abc"}, **HTMX
        ).status_code
        == 422
    )
    # A ticket alice may not see is answered like one that does not exist.
    hidden = make_ticket(charlie, title="Globex secret")
    for number in (hidden.pk, 999999):
        response = alice_client.post(
            route("detail-link", ticket), {"kind": "related", "target": number}, **HTMX
        )
        assert response.status_code == 422
        assert f"No ticket #{number} among those you can see." in response.content.decode()


def test_merge_into_another_ticket(alice_client, ticket, alice, bob):
    actions.add_followup(ticket=ticket, actor=bob, body="More details")
    target = make_ticket(bob, title="Printer broken")
    response = alice_client.post(route("detail-merge", ticket), {"target": ticket.pk}, **HTMX)
    assert response.status_code == 422
    response = alice_client.post(route("detail-merge", ticket), {"target": target.pk}, **HTMX)
    assert response.status_code == 200
    assert f"This ticket was merged into #{target.pk}." in response.content.decode()
    assert refresh(ticket).merged_into == target
    assert target.followups.filter(body="More details").exists()


def test_watch_and_unwatch(alice_client, ticket, alice, bob):
    response = alice_client.post(route("detail-watch", ticket), **HTMX)
    assert response.status_code == 200
    assert refresh(ticket).watchers.filter(pk=alice.pk).exists()
    actions.add_watcher(ticket=ticket, actor=alice, user=bob)
    response = alice_client.post(route("detail-unwatch", ticket, bob.pk), **HTMX)
    assert response.status_code == 200
    assert "Bob Test no longer watches this ticket." in response.content.decode()
    assert list(refresh(ticket).watchers.all()) == [alice]
    assert alice_client.post(route("detail-unwatch", ticket, bob.pk)).status_code == 404


def test_handing_a_ticket_out_of_sight_sends_back_to_the_queue(ticket, bob, client):
    # A technician who sees the ticket only because it is assigned to them.
    outsider = make_staff("olga", teams=[make_team("Elsewhere")])
    actions.assign(ticket=ticket, actor=outsider, assignee=outsider)
    client.force_login(outsider)
    response = client.post(route("detail-assign", ticket), {"assignee": ""}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("tickets:queue")
