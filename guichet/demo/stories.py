"""The life of one demo ticket, told through the real actions with back-dated times.

Every change goes through `guichet.tickets.actions`, so the event history, notifications and
counters are exactly what the product would have recorded had the story happened live.
"""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from guichet.accounts.choices import OrganisationKind
from guichet.accounts.models import User
from guichet.demo import phrases
from guichet.demo.people import Cast, Client
from guichet.demo.scenarios import Scenario, render
from guichet.demo.scenarios_more import SCENARIOS
from guichet.tickets import actions
from guichet.tickets.choices import Channel, Status
from guichet.tickets.models import Category, PendingReason, SolutionType, Ticket

# Category family -> the team that takes it first, then where it may be escalated.
ROUTES = {
    "hardware": ("n1", ["onsite", "n2"]),
    "software": ("n1", ["n2", "n3"]),
    "network": ("n1", ["network", "onsite"]),
    "messaging": ("n1", ["n2", "n3"]),
    "accounts": ("n1", ["n2"]),
    "files": ("n2", ["n3"]),
    "request": ("n1", ["onsite", "n2"]),
}
COMPANY_CHANNELS = [
    (Channel.PHONE, 35), (Channel.EMAIL, 25), (Channel.PORTAL, 30), (Channel.ONSITE, 3),
    (Channel.MONITORING, 7),
]  # fmt: skip
INDIVIDUAL_CHANNELS = [
    (Channel.PHONE, 55), (Channel.EMAIL, 20), (Channel.PORTAL, 10), (Channel.COUNTER, 15),
]  # fmt: skip
LEVEL_WEIGHTS = {"impact": [10, 35, 35, 15, 5], "urgency": [10, 30, 35, 20, 5]}
AUTOCLOSE = timedelta(days=7)


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


class Storyteller:
    """Tells ticket stories for one cast, with one random generator (hence reproducible)."""

    def __init__(self, cast: Cast, *, rng: random.Random, now: datetime):
        self.cast, self.rng, self.now = cast, rng, now
        self.categories = {c.code: c for c in Category.objects.all()}
        self.reasons = {r.code: r for r in PendingReason.objects.all()}
        self.solution_types = {s.code: s for s in SolutionType.objects.all()}
        self.last_ticket: dict[int, int] = {}  # requester id -> their previous ticket id

    # --- choices ------------------------------------------------------------------------------
    def client(self) -> Client:
        return self.rng.choices(self.cast.clients, weights=[c.weight for c in self.cast.clients])[0]

    def requester(self, client: Client) -> User:
        # The demo logins (client1, particulier1) get more tickets, to make their portal lively.
        weights = [4 if u.username in ("client1", "particulier1") else 1 for u in client.contacts]
        return self.rng.choices(client.contacts, weights=weights)[0]

    def find(self, username: str) -> tuple[Client, User]:
        for client in self.cast.clients:
            for person in client.contacts:
                if person.username == username:
                    return client, person
        raise LookupError(username)

    def member(self, team_key: str, but: User | None = None) -> User:
        people = [u for u in self.cast.members[team_key] if u != but] or self.cast.members[team_key]
        return self.rng.choice(people)

    def levels(self, client: Client) -> tuple[int, int]:
        if client.organisation.kind == OrganisationKind.INDIVIDUAL:
            return self.rng.choice([1, 1, 2]), self.rng.choices(range(1, 6), [10, 30, 40, 15, 5])[0]
        return tuple(  # type: ignore[return-value]
            self.rng.choices(range(1, 6), LEVEL_WEIGHTS[k])[0] for k in ("impact", "urgency")
        )

    def text(self, pairs, language: str) -> str:
        return render(phrases.pick(self.rng, pairs, language), language, self.rng)

    def between(self, start: datetime, end: datetime) -> datetime:
        if end <= start:
            return start
        return start + (end - start) * self.rng.random()

    def spread(self, start: datetime, end: datetime, count: int) -> list[datetime]:
        """`count` increasing times in (start, end], a second apart at least."""
        times = sorted(self.between(start, end) for _ in range(count))
        for i in range(1, len(times)):
            times[i] = max(times[i], times[i - 1] + timedelta(seconds=1))
        return times

    def work_span(self) -> timedelta:
        # Log-normal: most tickets take hours, a long tail takes weeks (median about 7 hours).
        hours = min(self.rng.lognormvariate(math.log(7), 1.3), 24 * 40)
        return timedelta(hours=hours, minutes=5)

    # --- one ticket ---------------------------------------------------------------------------
    def open(
        self, client: Client, requester: User, scenario: Scenario, at: datetime, **extra
    ) -> Ticket:
        language = client.language
        site = requester.location.name if requester.location else ""
        channel = extra.pop("channel", None) or weighted(
            self.rng,
            INDIVIDUAL_CHANNELS
            if client.organisation.kind == OrganisationKind.INDIVIDUAL
            else COMPANY_CHANNELS,
        )
        staff_intake = channel not in (Channel.PORTAL, Channel.EMAIL)
        impact, urgency = self.levels(client)
        return actions.open_ticket(
            actor=extra.pop("actor", None) or (self.member("n1") if staff_intake else requester),
            requester=requester,
            title=render(scenario.title(language), language, self.rng, site)[:250],
            description=render(scenario.description(language), language, self.rng, site),
            category=self.categories.get(scenario.category),
            type=scenario.type,
            channel=channel,
            impact=extra.pop("impact", impact),
            urgency=extra.pop("urgency", urgency),
            at=at,
            **extra,
        )

    def ticket(self, start: datetime, final: str, username: str | None = None) -> Ticket:
        """Open a ticket at `start` and live its story up to the `final` status, for a random
        requester or the one named."""
        rng = self.rng
        if username:
            client, requester = self.find(username)
        else:
            client = self.client()
            requester = self.requester(client)
        scenario = rng.choice(SCENARIOS)
        first_key, further = ROUTES[scenario.category.split("-")[0]]
        story = Story(
            ticket=self.open(client, requester, scenario, start),
            requester=requester,
            client=client,
            scenario=scenario,
            tech=self.member(first_key),
        )
        previous = self.last_ticket.get(requester.pk)
        self.last_ticket[requester.pk] = story.ticket.pk

        steps: list[Step] = []
        if final == Status.NEW:
            if rng.random() < 0.3:
                steps.append(partial(self.followup, who=requester, pairs=phrases.REQUESTER_NUDGES))
            self.run(story, steps, start, self.now - timedelta(minutes=rng.randint(5, 600)))
            return story.ticket

        if rng.random() < 0.1:
            steps.append(partial(self.requalify, urgency=rng.randint(1, 5)))
        dispatcher = self.cast.supervisor if rng.random() < 0.4 else story.tech
        steps.append(partial(self.assign, by=dispatcher, team_key=first_key, assignee=story.tech))
        if previous and rng.random() < 0.04:
            steps.append(partial(self.link_previous, previous_id=previous))
        if rng.random() < 0.3:
            steps.append(partial(self.followup, pairs=phrases.STAFF_QUESTIONS))
            steps.append(partial(self.followup, who=requester, pairs=phrases.REQUESTER_REPLIES))
        if rng.random() < 0.25:
            steps.append(partial(self.followup, pairs=phrases.INTERNAL_NOTES, internal=True))
        further = [k for k in further if k in client.teams]
        if further and rng.random() < 0.2:
            target = rng.choice(further)
            steps.append(partial(self.escalate, team_key=target, expert=self.member(target)))
            if target == "onsite":
                steps.append(self.visit)  # the time to intervene on site starts
                if final != Status.PLANNED:
                    steps.append(partial(self.plan, hours=rng.randint(3, 30)))
                if final in (Status.SOLVED, Status.CLOSED):
                    steps.append(self.arrive)
        if rng.random() < 0.03:
            steps.append(self.escalate_up)
        if final != Status.PENDING and rng.random() < 0.15:
            steps += [partial(self.pend, final=False), self.come_back]
        steps += [self.task] * rng.choice([0, 0, 1, 1, 2])
        if final == Status.PLANNED:
            steps.append(partial(self.plan, visit=self.now + timedelta(days=rng.randint(1, 10))))
        elif final == Status.PENDING:
            steps.append(partial(self.pend, final=True))
        elif final in (Status.SOLVED, Status.CLOSED):
            steps.append(self.solve)

        if final == Status.SOLVED:
            end = self.between(
                max(start, self.now - timedelta(days=6)), self.now - timedelta(minutes=5)
            )
        elif final == Status.CLOSED:
            end = min(start + self.work_span(), self.now - timedelta(minutes=30))
        else:
            end = self.between(start, self.now - timedelta(minutes=5))
        self.run(story, steps, start, end)
        if final == Status.CLOSED:
            self.closure(story, story.ticket.solved_at or end)
        return story.ticket

    def run(self, story: "Story", steps: list["Step"], start: datetime, end: datetime) -> None:
        for step, at in zip(steps, self.spread(start, max(end, start), len(steps)), strict=True):
            step(story, at)

    # --- steps of a story: each takes the story and its time ----------------------------------
    def requalify(self, story: "Story", at: datetime, *, urgency: int) -> None:
        story.ticket = actions.update_ticket(
            ticket=story.ticket, actor=story.tech, urgency=urgency, at=at
        )

    def assign(self, story: "Story", at: datetime, *, by: User, team_key: str, assignee: User):
        story.ticket = actions.assign(
            ticket=story.ticket, actor=by, team=self.cast.teams[team_key], assignee=assignee, at=at
        )

    def escalate(self, story: "Story", at: datetime, *, team_key: str, expert: User) -> None:
        story.ticket = actions.escalate(
            ticket=story.ticket,
            actor=story.tech,
            team=self.cast.teams[team_key],
            assignee=expert,
            note=self.text(phrases.ESCALATION_NOTES, story.lang),
            at=at,
        )
        story.tech = expert

    def escalate_up(self, story: "Story", at: datetime) -> None:
        story.ticket = actions.escalate_to_supervisor(
            ticket=story.ticket,
            actor=story.tech,
            note=self.text(phrases.SUPERVISOR_NOTES, story.lang),
            at=at,
        )

    def followup(
        self,
        story: "Story",
        at: datetime,
        *,
        pairs: list[phrases.Pair],
        who: User | None = None,
        internal: bool = False,
    ) -> None:
        actions.add_followup(
            ticket=story.ticket,
            actor=who or story.tech,
            body=self.text(pairs, story.lang),
            internal=internal,
            at=at,
        )

    def task(self, story: "Story", at: datetime) -> None:
        fr, en, low, high = self.rng.choice(phrases.TASKS)
        actions.add_task(
            ticket=story.ticket,
            actor=story.tech,
            description=en if story.lang == "en" else fr,
            duration_minutes=self.rng.randint(low, high),
            done=self.rng.random() < 0.9,
            at=at,
        )

    def plan(
        self, story: "Story", at: datetime, *, hours: int = 0, visit: datetime | None = None
    ) -> None:
        """Book a visit `hours` from now (or at `visit`): on the hour, in working hours."""
        when = visit or at + timedelta(hours=hours)
        when = when.replace(hour=max(8, min(when.hour, 17)), minute=0, second=0, microsecond=0)
        story.ticket = actions.plan(ticket=story.ticket, actor=story.tech, planned_for=when, at=at)

    def visit(self, story: "Story", at: datetime) -> None:
        story.ticket = actions.require_visit(ticket=story.ticket, actor=story.tech, at=at)

    def arrive(self, story: "Story", at: datetime) -> None:
        story.ticket = actions.record_arrival(ticket=story.ticket, actor=story.tech, at=at)

    def pend(self, story: "Story", at: datetime, *, final: bool) -> None:
        code = self.rng.choice(["customer", "customer", "supplier", "part", "third-party"])
        until = None
        if final and self.rng.random() < 0.4:
            until = self.now + timedelta(days=self.rng.randint(1, 14), hours=self.rng.randint(0, 8))
        story.ticket = actions.set_pending(
            ticket=story.ticket,
            actor=story.tech,
            reason=self.reasons[code],
            until=until,
            note=self.text(phrases.PENDING_NOTES[code], story.lang),
            at=at,
        )
        story.waiting_for = code

    def come_back(self, story: "Story", at: datetime) -> None:
        if story.waiting_for == "customer":  # the requester's answer wakes the ticket
            self.followup(story, at, who=story.requester, pairs=phrases.REQUESTER_REPLIES)
        else:
            story.ticket = actions.resume(ticket=story.ticket, actor=story.tech, at=at)

    def solve(self, story: "Story", at: datetime) -> None:
        story.ticket = actions.solve(
            ticket=story.ticket,
            actor=story.tech,
            solution=render(story.scenario.solution(story.lang), story.lang, self.rng),
            solution_type=self.solution_types.get(story.scenario.solution_type),
            at=at,
        )

    def link_previous(self, story: "Story", at: datetime, *, previous_id: int) -> None:
        previous = Ticket.objects.get(pk=previous_id)
        actions.link_tickets(
            source=story.ticket, target=previous, kind="related", actor=story.tech, at=at
        )

    def closure(self, story: "Story", solved_at: datetime) -> None:
        """From a proposed solution to a closed ticket: accepted, refused once, or auto-closed."""
        rng, now, requester = self.rng, self.now, story.requester

        def soon(after: datetime, most: timedelta) -> datetime:
            return after + min(most, (now - after) * 0.5) * rng.random() + timedelta(seconds=1)

        roll = rng.random()
        if roll < 0.04 and now - solved_at > timedelta(hours=4):
            at = soon(solved_at, timedelta(days=2))
            story.ticket = actions.refuse_solution(
                ticket=story.ticket,
                actor=requester,
                reason=self.text(phrases.REFUSALS, story.lang),
                at=at,
            )
            at = soon(at, timedelta(days=1))
            self.task(story, at)
            self.solve(story, soon(at, timedelta(hours=8)))
            solved_at = story.ticket.solved_at or at
            roll = 0.0
        if roll < 0.55:
            closed_at = soon(solved_at, timedelta(days=2))
            story.ticket = actions.accept_solution(
                ticket=story.ticket, actor=requester, at=closed_at
            )
        elif roll < 0.93 and solved_at + AUTOCLOSE < now:
            closed_at = solved_at + AUTOCLOSE + timedelta(minutes=rng.randint(1, 50))
            story.ticket = actions.close(ticket=story.ticket, actor=None, note="auto", at=closed_at)
        else:
            closed_at = soon(solved_at, timedelta(days=1))
            story.ticket = actions.close(ticket=story.ticket, actor=story.tech, at=closed_at)
        if rng.random() < 0.35:
            score = rng.choices([5, 4, 3, 2, 1], [50, 30, 10, 6, 4])[0]
            comment = (
                self.text(phrases.SATISFACTION[score], story.lang) if rng.random() < 0.6 else ""
            )
            story.ticket = actions.rate_satisfaction(
                ticket=story.ticket,
                actor=requester,
                score=score,
                comment=comment,
                at=soon(closed_at, timedelta(days=1)),
            )
        if rng.random() < 0.02 and now - closed_at > timedelta(days=3):
            at = soon(closed_at, timedelta(days=5))
            story.ticket = actions.reopen(
                ticket=story.ticket,
                actor=story.tech,
                reason=self.text(phrases.REOPENINGS, story.lang),
                at=at,
            )
            self.solve(story, soon(at, timedelta(hours=6)))
            story.ticket = actions.close(
                ticket=story.ticket,
                actor=story.tech,
                at=soon(story.ticket.solved_at or at, timedelta(hours=12)),
            )


@dataclass
class Story:
    """A ticket being told: who asked, what about, and who works on it now."""

    ticket: Ticket
    requester: User
    client: Client
    scenario: Scenario
    tech: User
    waiting_for: str = ""

    @property
    def lang(self) -> str:
        return self.client.language


Step = Callable[[Story, datetime], None]
