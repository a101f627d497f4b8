"""API v1 ticket transitions: one endpoint per verb, 409 when the state forbids it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from guichet.accounts.tests.factories import make_team
from guichet.tickets import actions
from guichet.tickets.choices import EventKind, Status
from guichet.tickets.models import PendingReason, Ticket
from guichet.tickets.tests.api_helpers import ApiCaller
from guichet.tickets.tests.factories import make_ticket


@pytest.fixture
def api(client):
    return ApiCaller(client)


@pytest.fixture
def level2(acme):
    return make_team("Level 2", organisations=[acme], level=2)


def later(hours: int = 2) -> str:
    return (timezone.now() + timedelta(hours=hours)).isoformat()


# A valid body for every verb, to show that outsiders and requesters are refused whatever
# they send.
STAFF_VERBS = [
    ("assign", {"assignee": None}),
    ("escalate", {"team": 1, "note": "Needs level 2"}),
    ("escalate-to-supervisor", {"note": "Angry client"}),
    ("pending", {"reason": "customer"}),
    ("resume", {}),
    ("plan", {"planned_for": "2099-01-01T10:00:00+01:00"}),
    ("solve", {"solution": "Rebooted"}),
    ("close", {}),
    ("reopen", {"reason": "Again"}),
    ("merge", {"into": 1}),
]
REQUESTER_VERBS = [
    ("accept", {}),
    ("refuse", {"reason": "Still broken"}),
    ("satisfaction", {"score": 5}),
]


def test_it_assigns_and_keeps_what_is_left_out(api, alice, sam, bob, support_team):
    ticket = make_ticket(bob)

    response = api.as_(sam).post(f"/tickets/{ticket.pk}/assign", {"team": support_team.pk})
    assert response.status_code == 200
    assert (response.json()["team"]["id"], response.json()["assignee"]) == (support_team.pk, None)

    response = api.as_(sam).post(f"/tickets/{ticket.pk}/assign", {"assignee": alice.pk})
    body = response.json()
    assert (body["team"]["id"], body["assignee"]["id"], body["status"]) == (
        support_team.pk,
        alice.pk,
        "assigned",
    )

    response = api.as_(sam).post(f"/tickets/{ticket.pk}/assign", {"assignee": None})
    assert (response.json()["assignee"], response.json()["status"]) == (None, "new")


def test_it_refuses_to_assign_a_requester_or_a_stranger(api, alice, bob, charlie):
    ticket = make_ticket(bob)

    for user in (bob, charlie):
        response = api.as_(alice).post(f"/tickets/{ticket.pk}/assign", {"assignee": user.pk})
        assert response.status_code == 422
        assert "assignee" in response.json()["errors"]
    assert api.as_(alice).post(f"/tickets/{ticket.pk}/assign", {"team": 2**40}).status_code == 422


def test_it_escalates_to_another_team_with_a_note(api, alice, bob, level2):
    ticket = make_ticket(bob)

    response = api.as_(alice).post(
        f"/tickets/{ticket.pk}/escalate", {"team": level2.pk, "note": "Needs a network expert"}
    )

    assert response.status_code == 200
    assert response.json()["team"]["id"] == level2.pk
    assert ticket.events.filter(kind=EventKind.ESCALATED, note="Needs a network expert").exists()
    missing = api.as_(alice).post(f"/tickets/{ticket.pk}/escalate", {"team": level2.pk})
    assert missing.status_code == 422
    assert "note" in missing.json()["errors"]


def test_it_escalates_to_the_supervisor(api, alice, sam, bob):
    ticket = make_ticket(bob)

    response = api.as_(alice).post(
        f"/tickets/{ticket.pk}/escalate-to-supervisor", {"note": "Contract at risk"}
    )

    assert response.status_code == 200
    assert response.json()["escalated"] is True
    assert sam.notifications.filter(ticket=ticket, kind="escalated_up").exists()


def test_it_puts_a_ticket_on_hold_and_resumes_it(api, alice, bob):
    ticket = make_ticket(bob)
    actions.assign(ticket=ticket, actor=alice, assignee=alice)
    supplier = PendingReason.objects.get(code="supplier")

    response = api.as_(alice).post(
        f"/tickets/{ticket.pk}/pending", {"reason": "customer", "until": later(), "note": "Asked"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    assert response.json()["pending_reason"]["id"] == PendingReason.objects.get(code="customer").pk
    assert response.json()["pending_until"] is not None

    response = api.as_(alice).post(f"/tickets/{ticket.pk}/pending", {"reason": supplier.pk})
    assert response.json()["pending_reason"]["id"] == supplier.pk

    response = api.as_(alice).post(f"/tickets/{ticket.pk}/resume", {"note": "Part arrived"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["pending_reason"]) == ("assigned", None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "holiday"}, "reason"),
        ({"reason": 424242}, "reason"),
        ({"reason": "customer", "until": "2001-01-01T00:00:00Z"}, "until"),
        ({"reason": "customer", "until": "tomorrow"}, "until"),
        ({"reason": "customer", "until": "9999-12-31T23:59:59-14:00"}, "until"),
        ({}, "reason"),
    ],
)
def test_pending_needs_a_known_reason_and_a_future_date(api, alice, bob, body, field):
    ticket = make_ticket(bob)

    response = api.as_(alice).post(f"/tickets/{ticket.pk}/pending", body)

    assert response.status_code == 422
    assert field in response.json()["errors"]
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_resuming_a_ticket_that_does_not_wait_is_a_conflict(api, alice, bob):
    ticket = make_ticket(bob)

    response = api.as_(alice).post(f"/tickets/{ticket.pk}/resume")

    assert response.status_code == 409
    assert response.json()["detail"] == "The ticket is not pending."


def test_it_plans_a_ticket(api, alice, bob):
    ticket = make_ticket(bob)

    response = api.as_(alice).post(f"/tickets/{ticket.pk}/plan", {"planned_for": later(48)})

    assert response.status_code == 200
    assert response.json()["status"] == "planned"
    assert response.json()["planned_for"] is not None


def test_the_full_path_solve_refuse_solve_accept_rate(api, alice, bob):
    ticket = make_ticket(bob)
    staff, requester = api.as_(alice), api.as_(bob)

    response = staff.post(
        f"/tickets/{ticket.pk}/solve", {"solution": "Replaced toner", "solution_type": "replaced"}
    )
    assert (response.json()["status"], response.json()["solution_type"]["name"]) == (
        "solved",
        "Hardware replaced",
    )
    response = requester.post(f"/tickets/{ticket.pk}/refuse", {"reason": "Still streaks"})
    assert (response.json()["status"], response.json()["reopen_count"]) == ("new", 1)
    staff.post(f"/tickets/{ticket.pk}/solve", {"solution": "Cleaned the drum"})
    response = requester.post(f"/tickets/{ticket.pk}/accept")
    assert response.status_code == 200
    assert response.json()["status"] == "closed"
    response = requester.post(
        f"/tickets/{ticket.pk}/satisfaction", {"score": 4, "comment": "Quick"}
    )
    assert (response.json()["satisfaction"], response.json()["satisfaction_comment"]) == (
        4,
        "Quick",
    )


def test_forbidden_transitions_answer_409_with_the_reason(api, alice, bob):
    ticket = make_ticket(bob)
    staff, requester = api.as_(alice), api.as_(bob)

    for caller, verb, body in (
        (requester, "accept", {}),
        (requester, "refuse", {"reason": "No"}),
        (requester, "satisfaction", {"score": 3}),
        (staff, "close", {}),
        (staff, "reopen", {"reason": "Why not"}),
    ):
        response = caller.post(f"/tickets/{ticket.pk}/{verb}", body)
        assert response.status_code == 409, verb
        assert response.json()["detail"]
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW


def test_staff_close_and_reopen_a_solved_ticket(api, alice, bob):
    ticket = make_ticket(bob)
    actions.solve(ticket=ticket, actor=alice, solution="Done")

    response = api.as_(alice).post(f"/tickets/{ticket.pk}/close", {"note": "No answer"})
    assert response.json()["status"] == "closed"
    assert api.as_(alice).post(f"/tickets/{ticket.pk}/plan", {"planned_for": later()}).json() == {
        "detail": "A ticket cannot go from “Closed” to “Planned”."
    }
    response = api.as_(alice).post(f"/tickets/{ticket.pk}/reopen", {"reason": "Came back"})
    assert (response.json()["status"], response.json()["reopen_count"]) == ("new", 1)


def test_it_merges_a_duplicate(api, alice, bob):
    duplicate, original = make_ticket(bob, title="Dup"), make_ticket(bob, title="Original")
    actions.add_followup(ticket=duplicate, actor=bob, body="Any news?")

    response = api.as_(alice).post(f"/tickets/{duplicate.pk}/merge", {"into": original.pk})

    assert response.status_code == 200
    assert response.json()["id"] == original.pk
    duplicate.refresh_from_db()
    assert (duplicate.merged_into_id, duplicate.status) == (original.pk, Status.CLOSED)
    assert original.followups.filter(body="Any news?").exists()
    again = api.as_(alice).post(f"/tickets/{duplicate.pk}/merge", {"into": original.pk})
    assert again.status_code == 409


def test_merging_into_an_invisible_ticket_reads_as_unknown(api, dave, charlie, bob):
    hidden, mine = make_ticket(bob), make_ticket(charlie)

    response = api.as_(dave).post(f"/tickets/{mine.pk}/merge", {"into": hidden.pk})

    assert response.status_code == 422
    assert response.json()["errors"] == {"into": ["Unknown ticket."]}


@pytest.mark.parametrize(("verb", "body"), STAFF_VERBS + REQUESTER_VERBS)
def test_outsiders_get_a_404_on_every_verb(api, bob, charlie, dave, verb, body):
    ticket = make_ticket(bob)
    before = ticket.events.count()

    for user in (charlie, dave):
        response = api.as_(user).post(f"/tickets/{ticket.pk}/{verb}", body)
        assert response.status_code == 404, (user, verb)
    assert ticket.events.count() == before


@pytest.mark.parametrize(("verb", "body"), STAFF_VERBS)
def test_a_requester_gets_a_403_on_staff_verbs(api, bob, verb, body):
    ticket = make_ticket(bob)
    before = ticket.events.count()

    response = api.as_(bob).post(f"/tickets/{ticket.pk}/{verb}", body)

    assert response.status_code == 403, verb
    assert response.json()["detail"]
    assert ticket.events.count() == before
    assert Ticket.objects.get(pk=ticket.pk).status == Status.NEW
