"""Major incidents: one outage, many callers. The first call becomes the major ticket (priority 6,
escalated to the supervisor); later calls are merged into it as duplicates or linked as its
children, and are solved with it."""

from datetime import datetime, timedelta

from guichet.accounts.choices import OrganisationKind
from guichet.demo import phrases
from guichet.demo.scenarios import render
from guichet.demo.scenarios_more import MAJOR_INCIDENTS
from guichet.demo.stories import Storyteller
from guichet.tickets import actions
from guichet.tickets.choices import Channel, LinkKind, Priority, Status
from guichet.tickets.models import Ticket

ONGOING_FR = "Incident en cours : nos équipes sont mobilisées, nous vous tenons informés ici."
ONGOING_EN = "Outage in progress: our teams are on it; we will keep you posted here."
SOLVED_WITH_FR = "Résolu avec l'incident majeur #{id}."
SOLVED_WITH_EN = "Solved together with major incident #{id}."


def major_incident(teller: Storyteller, start: datetime, size: int, *, ongoing: bool) -> None:
    """`size` tickets about one outage at one client company, opened from `start` on."""
    rng, cast = teller.rng, teller.cast
    companies = [c for c in cast.clients if c.organisation.kind == OrganisationKind.COMPANY]
    client = rng.choice(companies)
    lang = client.language
    scenario, reason_fr, reason_en = rng.choice(MAJOR_INCIDENTS)
    callers = rng.sample(client.contacts, min(size, len(client.contacts)))
    desk = teller.member("n1")
    expert_team = "network" if "network" in client.teams else "n3"
    expert = teller.member(expert_team)

    major = teller.open(
        client, callers[0], scenario, start, channel=Channel.PHONE, actor=desk, impact=5, urgency=5
    )
    at = start + timedelta(minutes=3)
    major = actions.update_ticket(
        ticket=major,
        actor=cast.supervisor,
        priority=Priority.MAJOR,
        major_reason=reason_en if lang == "en" else reason_fr,
        at=at,
    )
    major = actions.escalate(
        ticket=major,
        actor=desk,
        team=cast.teams[expert_team],
        assignee=expert,
        note=render(phrases.pick(rng, phrases.ESCALATION_NOTES, lang), lang, rng),
        at=at + timedelta(minutes=2),
    )
    major = actions.escalate_to_supervisor(
        ticket=major,
        actor=desk,
        note=render(phrases.pick(rng, phrases.SUPERVISOR_NOTES, lang), lang, rng),
        at=at + timedelta(minutes=3),
    )
    actions.add_followup(
        ticket=major,
        actor=expert,
        body=ONGOING_EN if lang == "en" else ONGOING_FR,
        at=at + timedelta(minutes=6),
    )
    children: list[Ticket] = []
    at += timedelta(minutes=4)
    for number, caller in enumerate(callers[1:]):
        at += timedelta(minutes=rng.randint(1, 9))
        ticket = teller.open(client, caller, scenario, at, impact=4, urgency=5)
        if number < 2:  # the first callers are plain duplicates: their messages join the major
            actions.merge(source=ticket, target=major, actor=desk, at=at + timedelta(minutes=1))
        else:
            actions.link_tickets(
                source=major, target=ticket, kind=LinkKind.PARENT, actor=desk, at=at
            )
            children.append(
                actions.assign(
                    ticket=ticket, actor=desk, team=cast.teams[expert_team], assignee=expert, at=at
                )
            )
    if ongoing:
        return
    solved_at = at + timedelta(minutes=rng.randint(45, 240))
    major = actions.solve(
        ticket=major,
        actor=expert,
        solution=render(scenario.solution(lang), lang, rng),
        solution_type=teller.solution_types.get(scenario.solution_type),
        at=solved_at,
    )
    closed_at = solved_at + timedelta(hours=rng.randint(1, 20))
    actions.accept_solution(ticket=major, actor=callers[0], at=closed_at)
    note = SOLVED_WITH_EN if lang == "en" else SOLVED_WITH_FR
    for child in children:
        child = actions.solve(
            ticket=child,
            actor=expert,
            solution=note.format(id=major.pk),
            at=solved_at + timedelta(minutes=5),
        )
        if child.status == Status.SOLVED:
            actions.close(ticket=child, actor=expert, at=closed_at + timedelta(minutes=5))
