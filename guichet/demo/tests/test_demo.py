"""`guichet demo`: the cast, the logins, a year of tickets in every state, and a safe re-run."""

import io
import re

import pytest
from django.core.management import call_command
from django.db.models import F

from guichet.accounts.choices import OrganisationKind, Role
from guichet.accounts.models import Location, Organisation, Team, User
from guichet.demo.mail import MORNING_TICKETS
from guichet.demo.scenarios_more import MAJOR_INCIDENTS, SCENARIOS
from guichet.sla.models import Contract, EscalationStep, TeamTarget, TicketClock
from guichet.tickets.choices import EventKind, Priority, Status
from guichet.tickets.models import FollowUp, Ticket, TicketEvent, TicketLink, TicketTask

pytestmark = pytest.mark.django_db

MAJORS = [scenario for scenario, *_reasons in MAJOR_INCIDENTS]
LOGINS = ["superviseur", "admin", "client1", "particulier1"] + [f"tech{n}" for n in range(1, 16)]


def _pattern(template: str) -> re.Pattern:
    return re.compile(re.sub(r"\\{\w+\\}", ".+", re.escape(template)) + "$")


TITLES = {
    language: [_pattern(getattr(s, f"title_{language}")) for s in SCENARIOS + MAJORS]
    for language in ("fr", "en")
}


def title_language(title: str) -> str | None:
    for language, patterns in TITLES.items():
        if any(p.match(title) for p in patterns):
            return language
    return None


def demo(**options) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **options)
    return out.getvalue()


def people_counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Organisation.objects.count(),
        Location.objects.count(),
        Team.objects.count(),
        Team.members.through.objects.count(),
        Team.organisations.through.objects.count(),
    )


def test_it_creates_the_cast():
    demo(tickets=0)
    teams = {t.name: t for t in Team.objects.all()}
    assert {name: t.level for name, t in teams.items()} == {
        "Support N1": 1,
        "Support N2": 2,
        "Experts N3": 3,
        "Intervention sur site": 2,
        "Réseau": 3,
    }
    assert all(t.skill_list for t in teams.values())
    technicians = User.objects.filter(role__in=[Role.TECHNICIAN, Role.SPECIALIST])
    assert sorted(technicians.values_list("username", flat=True)) == sorted(
        f"tech{n}" for n in range(1, 16)
    )
    assert all(t.teams.exists() for t in technicians)
    assert User.objects.get(username="superviseur").role == Role.SUPERVISOR
    assert User.objects.get(username="admin").role == Role.ADMIN
    companies = Organisation.objects.filter(kind=OrganisationKind.COMPANY)
    assert companies.count() == 3
    assert {c.language for c in companies} == {"fr", "en"}
    for company in companies:
        assert company.locations.count() >= 2
        assert company.teams.exists()
        assert company.members.filter(is_org_manager=True).exists()
        assert all(m.email and (m.phone or m.mobile) for m in company.members.all())
    individuals = Organisation.objects.filter(kind=OrganisationKind.INDIVIDUAL)
    assert individuals.count() == 12
    assert all(o.members.count() == 1 and o.teams.exists() for o in individuals)
    client1 = User.objects.get(username="client1")
    assert client1.role == Role.REQUESTER and client1.organisation == companies.order_by("id")[0]
    assert User.objects.get(username="particulier1").organisation.kind == "individual"


def test_every_demo_login_works_with_the_password_demo(client):
    demo(tickets=0)
    for username in LOGINS:
        assert client.login(username=username, password="demo"), username
        client.logout()
    assert not client.login(username="tech1", password="wrong")


def test_it_tells_a_year_of_tickets_in_every_state():
    output = demo(tickets=60)
    assert Ticket.objects.count() == 60 + MORNING_TICKETS
    assert "tech1" in output and "client1" in output
    assert set(Ticket.objects.values_list("status", flat=True)) == set(Status.values)
    assert Ticket.objects.filter(status=Status.PENDING, pending_reason__isnull=False).exists()
    assert not Ticket.objects.filter(status=Status.PENDING, pending_reason__isnull=True).exists()
    assert Ticket.objects.filter(priority=Priority.MAJOR).exclude(major_reason="").exists()
    assert Ticket.objects.filter(escalated=True).exists()
    assert Ticket.objects.filter(merged_into__isnull=False).exists()
    assert TicketLink.objects.exists()
    assert TicketEvent.objects.filter(kind=EventKind.ESCALATED).exists()
    assert FollowUp.objects.filter(is_internal=False).exists()
    assert TicketTask.objects.filter(duration_minutes__gt=0).exists()
    assert Ticket.objects.filter(status=Status.CLOSED, satisfaction__isnull=False).exists()
    # Every ticket was opened through the action, and its history never runs backwards.
    assert TicketEvent.objects.filter(kind=EventKind.CREATED).count() == 60 + MORNING_TICKETS
    assert Ticket.objects.filter(channel="email").count() >= MORNING_TICKETS
    assert not TicketEvent.objects.filter(created_at__lt=F("ticket__created_at")).exists()
    assert not Ticket.objects.filter(closed_at__lt=F("created_at")).exists()
    # Tickets are written in their organisation's language, French or English (the morning's
    # mail is in the words of whoever wrote it).
    for ticket in Ticket.objects.exclude(channel="email").select_related("organisation"):
        assert title_language(ticket.title) == ticket.organisation.language, ticket.title
    assert {t.organisation.language for t in Ticket.objects.select_related("organisation")} == {
        "fr",
        "en",
    }


def test_the_demo_tickets_are_measured_against_their_contracts():
    demo(tickets=60)

    assert TicketClock.objects.filter(kind="resolve").count() == 60 + MORNING_TICKETS
    firm = Contract.objects.get(name="Infogérance Cabinet Durand")
    assert TicketClock.objects.filter(contract=firm).exists()
    assert EscalationStep.objects.filter(contract__is_default=True).exists()
    assert TeamTarget.objects.filter(team__name="Support N1").count() == 6
    # Some solved tickets met their targets, some did not: the reports have something to say.
    solved = TicketClock.objects.filter(kind="resolve", running=False)
    assert solved.filter(breached=False).exists()


def test_the_demo_logins_have_tickets_to_show():
    demo(tickets=60)
    assert Ticket.objects.filter(requester__username="client1", status=Status.SOLVED).exists()
    assert Ticket.objects.filter(requester__username="particulier1").exists()


def test_a_second_run_duplicates_nobody_and_if_empty_leaves_everything_alone():
    demo(tickets=60)
    people = people_counts()
    output = demo()
    assert "no ticket added" in output
    assert people_counts() == people
    assert Ticket.objects.count() == 60 + MORNING_TICKETS
    assert "left as it is" in demo(if_empty=True, tickets=10)
    assert Ticket.objects.count() == 60 + MORNING_TICKETS
    demo(tickets=10)  # asked for explicitly: a new batch, still nobody new
    assert Ticket.objects.count() == 70 + MORNING_TICKETS
    assert people_counts() == people


def test_it_refuses_a_negative_ticket_count():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        demo(tickets=-1)
