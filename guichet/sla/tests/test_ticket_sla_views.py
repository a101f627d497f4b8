"""Service clocks where people see them: the ticket page, the queue sorted by due date, the
API's ticket representation; and the page's actions that move them (visit, contract)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.sla.models import Calendar, Contract, TicketClock
from guichet.tickets import actions
from guichet.tickets.choices import EventKind
from guichet.tickets.models import Ticket
from guichet.tickets.tests.api_helpers import ApiCaller
from guichet.tickets.tests.factories import make_ticket


@pytest.fixture
def ticket(bob):
    return make_ticket(bob, title="Printer jams")


@pytest.fixture
def api(client):
    return ApiCaller(client)


def page(client, ticket):
    return client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()


def test_the_ticket_page_shows_each_clock_with_its_state(alice_client, ticket):
    html = page(alice_client, ticket)

    assert "Service levels" in html or "Niveaux de service" in html
    assert 'class="badge clock-ok"' in html
    assert "Contrat par défaut" in html


def test_an_overdue_clock_reads_as_overdue(alice_client, bob):
    old = make_ticket(bob, title="Old", at=timezone.now() - timedelta(days=30))

    html = page(alice_client, old)

    assert 'class="badge clock-breached"' in html


def test_a_visit_starts_and_an_arrival_stops_the_time_to_intervene(alice_client, alice, ticket):
    contract = Contract.objects.get(is_default=True)
    contract.targets.create(kind="intervene", priority=3, minutes=4 * 60)

    response = alice_client.post(
        reverse("tickets:detail-visit", args=[ticket.pk]), {"note": "Replace the fuser"}
    )
    assert response.status_code in (200, 302)
    clock = TicketClock.objects.get(ticket=ticket, kind="intervene")
    assert clock.running and clock.target_seconds == 4 * 3600
    assert "detail-arrival" in page(alice_client, ticket) or "arrival/" in page(
        alice_client, ticket
    )

    alice_client.post(reverse("tickets:detail-arrival", args=[ticket.pk]))
    clock.refresh_from_db()
    assert not clock.running and clock.stopped_at is not None
    assert ticket.events.filter(kind=EventKind.VISIT).count() == 2


def test_an_arrival_without_a_visit_is_refused(alice, ticket):
    from guichet.lib.errors import Conflict

    with pytest.raises(Conflict):
        actions.record_arrival(ticket=ticket, actor=alice)


def test_the_contract_form_moves_the_ticket_and_needs_a_reason(alice_client, ticket, acme):
    always = Contract.objects.create(
        name="Acme 24/7",
        organisation=acme,
        starts_on=ticket.created_at.date(),
        calendar=Calendar.objects.get(name="24/7"),
    )
    url = reverse("tickets:detail-contract", args=[ticket.pk])

    refused = alice_client.post(url, {"contract": always.pk, "reason": ""})
    assert refused.status_code == 400 or "reason" in refused.content.decode()
    assert TicketClock.objects.get(ticket=ticket, kind="resolve").contract_id != always.pk

    alice_client.post(url, {"contract": always.pk, "reason": "Production line down"})
    assert TicketClock.objects.get(ticket=ticket, kind="resolve").contract_id == always.pk
    event = ticket.events.get(field="contract")
    assert event.note == "Production line down" and not event.is_public


def test_the_queue_sorts_by_due_date_first(alice_client, bob):
    later = make_ticket(bob, title="Later", urgency=1, impact=1)
    sooner = make_ticket(bob, title="Sooner", urgency=5, impact=5)

    html = alice_client.get(reverse("tickets:queue"), {"scope": "open", "sort": "due"})
    body = html.content.decode()

    assert body.index("Sooner") < body.index("Later")
    assert Ticket.objects.get(pk=sooner.pk).due_at < Ticket.objects.get(pk=later.pk).due_at


def test_solved_tickets_come_last_when_sorted_by_due_date(api, alice, bob):
    done = make_ticket(bob, title="Done")
    actions.solve(ticket=done, actor=alice, solution="Fixed")
    waiting = make_ticket(bob, title="Waiting")

    items = api.as_(alice).get("/tickets", {"sort": "due"}).json()["items"]

    assert [t["id"] for t in items] == [waiting.pk, done.pk]


def test_the_api_carries_each_clock_with_time_left(api, alice, ticket):
    body = api.as_(alice).get(f"/tickets/{ticket.pk}").json()

    kinds = {c["kind"]: c for c in body["sla"]}
    assert set(kinds) == {"own", "resolve"}
    own = kinds["own"]
    assert own["running"] and not own["paused"]
    assert own["remaining_seconds"] == own["target_seconds"] - own["elapsed_seconds"]
    assert own["breached"] == (own["remaining_seconds"] < 0)


def test_overdue_clocks_have_negative_time_left_in_the_api(api, alice, bob):
    old = make_ticket(bob, title="Old", at=timezone.now() - timedelta(days=30))

    own = next(
        c for c in api.as_(alice).get(f"/tickets/{old.pk}").json()["sla"] if c["kind"] == "own"
    )

    assert own["remaining_seconds"] < 0
    assert own["breached"]


def test_requesters_do_not_see_the_teams_internal_target(api, alice, bob, ticket):
    from guichet.sla.models import TeamTarget

    team = alice.teams.first()
    TeamTarget.objects.create(team=team, priority=3, minutes=60)
    actions.assign(ticket=ticket, actor=alice, team=team)

    staff_kinds = {c["kind"] for c in api.as_(alice).get(f"/tickets/{ticket.pk}").json()["sla"]}
    client_kinds = {c["kind"] for c in api.as_(bob).get(f"/tickets/{ticket.pk}").json()["sla"]}

    assert "ola" in staff_kinds
    assert "ola" not in client_kinds


def test_an_outsider_never_sees_the_clocks_of_a_ticket(api, charlie, ticket):
    assert api.as_(charlie).get(f"/tickets/{ticket.pk}").status_code == 404
    listed = api.as_(charlie).get("/tickets", {"sort": "due"}).json()["items"]
    assert ticket.pk not in [t["id"] for t in listed]


def test_visits_go_through_the_api_too(api, alice, ticket):
    Contract.objects.get(is_default=True).targets.create(kind="intervene", priority=3, minutes=240)

    body = api.as_(alice).post(f"/tickets/{ticket.pk}/visit", {"note": "Fuser"}).json()
    intervene = next(c for c in body["sla"] if c["kind"] == "intervene")
    assert intervene["running"] and intervene["target_seconds"] == 240 * 60

    again = api.as_(alice).post(f"/tickets/{ticket.pk}/visit", {})
    assert again.status_code == 409

    body = api.as_(alice).post(f"/tickets/{ticket.pk}/arrival").json()
    intervene = next(c for c in body["sla"] if c["kind"] == "intervene")
    assert not intervene["running"] and not intervene["breached"]


def test_the_contract_of_a_ticket_changes_through_the_api_with_a_reason(api, alice, ticket, acme):
    always = Contract.objects.create(
        name="Acme 24/7",
        organisation=acme,
        starts_on=ticket.created_at.date(),
        calendar=Calendar.objects.get(name="24/7"),
    )
    path = f"/tickets/{ticket.pk}/contract"

    missing = api.as_(alice).post(path, {"contract": always.pk})
    assert missing.status_code == 422 and "reason" in missing.json()["errors"]
    assert api.as_(alice).post(path, {"contract": always.pk, "reason": "Plant"}).status_code == 200
    assert TicketClock.objects.get(ticket=ticket, kind="resolve").contract_id == always.pk


def test_another_clients_contract_is_refused_in_the_api(api, alice, ticket, globex):
    theirs = Contract.objects.create(
        name="Globex 24/7",
        organisation=globex,
        starts_on=ticket.created_at.date(),
        calendar=Calendar.objects.get(name="24/7"),
    )

    response = api.as_(alice).post(
        f"/tickets/{ticket.pk}/contract", {"contract": theirs.pk, "reason": "x"}
    )

    assert response.status_code == 422
    assert "contract" in response.json()["errors"]


@pytest.mark.parametrize("verb", ["visit", "arrival", "contract"])
def test_outsiders_and_requesters_cannot_move_the_clocks(api, bob, charlie, dave, ticket, verb):
    body = {"contract": 1, "reason": "x"} if verb == "contract" else {}
    assert api.as_(charlie).post(f"/tickets/{ticket.pk}/{verb}", body).status_code == 404
    assert api.as_(dave).post(f"/tickets/{ticket.pk}/{verb}", body).status_code == 404
    assert api.as_(bob).post(f"/tickets/{ticket.pk}/{verb}", body).status_code == 403
    assert ticket.events.count() == 1


def test_the_page_says_how_long_a_clock_was_on_hold(alice_client, alice, bob):
    from guichet.tickets.models import PendingReason

    waited = make_ticket(bob, title="Waiting", at=timezone.now() - timedelta(days=10))
    customer = PendingReason.objects.get(code="customer")
    actions.set_pending(
        ticket=waited, actor=alice, reason=customer, at=timezone.now() - timedelta(days=9)
    )

    html = page(alice_client, waited)

    assert "on hold, not counted" in html or "en attente, non décomptées" in html
    assert 'class="badge clock-' in html
