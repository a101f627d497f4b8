"""The demo's questioning scripts: the five seeded ones, walked some fifty times in the past
(on closed tickets, in phone intake, in the portal) so their figures are not empty."""

import random
from datetime import datetime, timedelta

from django.apps import apps

from guichet.demo.people import Cast
from guichet.scripts import actions, tree
from guichet.scripts import seed as script_seed
from guichet.scripts.choices import NodeKind, RunChannel, RunStatus
from guichet.scripts.models import Script, ScriptRun
from guichet.tickets.choices import Status
from guichet.tickets.models import Ticket

RUNS_PER_SCRIPT = 10


def _walk(run, actor, rng: random.Random, at: datetime, *, give_up: float) -> None:
    """Answer at random until an outcome, or stop on the way (a caller who hung up)."""
    for _step in range(30):
        if run.status != RunStatus.RUNNING:
            return
        at += timedelta(seconds=rng.randint(20, 90))
        if rng.random() < give_up:
            actions.stop(run=run, actor=actor, at=at)
            return
        node = run.version.definition["nodes"][run.node]
        choices = tree.answers_of(node, "fr")
        run = actions.answer(run=run, actor=actor, index=rng.randrange(len(choices)), at=at)
    if run.status == RunStatus.RUNNING:
        actions.stop(run=run, actor=actor, at=at)


def seed(cast: Cast, *, now: datetime) -> None:
    if ScriptRun.objects.exists():
        return  # already seeded
    script_seed.load(apps)
    rng = random.Random(7)  # noqa: S311 - demo data, not security
    technicians = [user for users in cast.members.values() for user in users] or [cast.admin]
    requesters = [c for client in cast.clients for c in client.contacts] or [cast.admin]
    for script in Script.objects.filter(active=True, current__isnull=False):
        closed = list(
            Ticket.objects.filter(category=script.category, status=Status.CLOSED).order_by("pk")[
                :RUNS_PER_SCRIPT
            ]
        )
        for index in range(RUNS_PER_SCRIPT):
            at = now - timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 600))
            if index < len(closed) and index % 3 != 2:
                # A closed ticket: the path goes to its timeline; the outcome finds it closed.
                ticket = closed[index]
                actor = ticket.assignee or cast.admin
                # During the ticket's life, never before it was opened.
                at = ticket.created_at + timedelta(minutes=rng.randint(1, 30))
                run = actions.start_run(script=script, actor=actor, channel=RunChannel.TICKET,
                                        ticket=ticket, at=at)  # fmt: skip
            elif script.in_portal and index % 2:
                actor = rng.choice(requesters)
                run = actions.start_run(script=script, actor=actor, channel=RunChannel.PORTAL,
                                        at=at)  # fmt: skip
            else:
                actor = rng.choice(technicians)
                run = actions.start_run(script=script, actor=actor, channel=RunChannel.INTAKE,
                                        at=at)  # fmt: skip
            _walk(run, actor, rng, at, give_up=0.08)
            run.refresh_from_db()
            node = run.version.definition["nodes"].get(run.outcome or run.node, {})
            if (
                run.ticket_id is None
                and run.status == RunStatus.FINISHED
                and node.get("kind") == NodeKind.OUTCOME
                and "solve" in (node.get("actions") or {})
                and rng.random() < 0.7
            ):
                actions.confirm_solved(run=run, actor=actor, at=at + timedelta(minutes=5))
