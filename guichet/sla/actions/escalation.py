"""Escalation ladders: when a clock reaches a step's share of its target, the step's action
is taken, once per ticket, step and clock cycle.

Exactly once holds however many workers run and however late they are: a worker locks the
ticket, recomputes its clocks from the history, and claims each step by inserting its firing
row, which a unique constraint allows only once; a step reached while no worker ran fires at
the next scan (its `next_step_at` is in the past).
"""

import logging
import math
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.models import Team
from guichet.lib import refcache
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.notifications.actions import notify
from guichet.sla import contracts
from guichet.sla.actions.clocks import fired_steps, refresh_clocks
from guichet.sla.choices import ClockKind, EscalationAction
from guichet.sla.clocks import Clock
from guichet.sla.models import EscalationFiring, TicketClock
from guichet.tickets.choices import EventKind, Priority
from guichet.tickets.models import Ticket

logger = logging.getLogger("guichet.sla")
BATCH = 500


def run_escalations(*, now: datetime | None = None) -> int:
    """Take every escalation step that is due; returns how many fired. Each ticket is looked
    at once per scan, in id order (a step its action made due at once waits for the next)."""
    now = now or timezone.now()
    fired, last = 0, 0
    while True:
        batch = list(
            TicketClock.objects.filter(next_step_at__lte=now, ticket_id__gt=last)
            .order_by("ticket_id")
            .values_list("ticket_id", flat=True)
            .distinct()[:BATCH]
        )
        if not batch:
            return fired
        with refcache.scope():  # contracts and calendars read once per batch
            for ticket_id in batch:
                fired += escalate_ticket(ticket_id, now=now)
        last = batch[-1]


def escalate_ticket(ticket_id: int, *, now: datetime) -> int:
    """Fire the ticket's steps that its clocks have reached; returns how many."""
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().filter(pk=ticket_id).first()
        if ticket is None:
            return 0
        done = fired_steps(ticket_id)
        clocks = refresh_clocks(ticket, now=now, fired=done)
        fired = 0
        for clock in clocks.values():
            for step in _reached(clock):
                if (step.pk, clock.cycle) in done:
                    continue  # fired earlier
                if _claim(ticket, step, clock, now):
                    _take(ticket, step, clock, now)
                    fired += 1
        if fired:
            ticket = Ticket.objects.get(pk=ticket_id)
            refresh_clocks(ticket, now=now)
        return fired


def _reached(clock: Clock) -> list[contracts.Step]:
    """The clock's steps its elapsed time has reached, lowest first (from the cache)."""
    if not clock.running or clock.target_seconds is None:
        return []
    ladder = contracts.terms(clock.contract_id).steps.get(clock.kind, ())
    steps = contracts.steps_by_id()
    return [
        steps[step_id]
        for percent, step_id in ladder
        if clock.elapsed_seconds >= math.ceil(clock.target_seconds * percent / 100)
    ]


def _claim(ticket: Ticket, step: contracts.Step, clock: Clock, now: datetime) -> bool:
    try:
        with transaction.atomic():
            EscalationFiring.objects.create(
                ticket=ticket, step_id=step.pk, cycle=clock.cycle, fired_at=now
            )
    except IntegrityError:
        return False  # fired already, by this worker earlier or by another
    return True


def _take(ticket: Ticket, step: contracts.Step, clock: Clock, now: datetime) -> None:
    from guichet.tickets import actions
    from guichet.tickets.actions.common import record

    what = _("%(percent)d%% of the target “%(target)s” reached") % {
        "percent": step.percent,
        "target": ClockKind(clock.kind).label,
    }
    record(
        ticket,
        None,
        EventKind.SLA,
        at=now,
        field=clock.kind,
        new=step.action,
        note=f"{what}: {EscalationAction(step.action).label}",
        public=False,
    )
    message = _("Ticket #%(id)s: %(what)s.") % {"id": ticket.pk, "what": what}
    try:
        if step.action == EscalationAction.NOTIFY_ASSIGNEE:
            users = [ticket.assignee] if ticket.assignee_id else []
            if not users and ticket.team is not None:
                users = list(ticket.team.members.filter(is_active=True))
            notify(users=users, kind="sla", ticket=ticket, message=message)
        elif step.action == EscalationAction.NOTIFY_SUPERVISOR:
            actions.escalate_to_supervisor(ticket=ticket, actor=None, note=what, at=now)
        elif step.action == EscalationAction.REASSIGN and step.team_id is not None:
            team = Team.objects.get(pk=step.team_id)
            actions.escalate(ticket=ticket, actor=None, team=team, note=what, at=now)
        elif step.action == EscalationAction.RAISE_PRIORITY and ticket.priority < 5:
            actions.update_ticket(ticket=ticket, actor=None, priority=ticket.priority + 1, at=now)
        elif step.action == EscalationAction.FLAG_MAJOR and ticket.priority != Priority.MAJOR:
            actions.update_ticket(
                ticket=ticket, actor=None, priority=Priority.MAJOR, major_reason=what, at=now
            )
    except (Conflict, Forbidden, InvalidInput) as error:
        # The step stays fired: retrying would not make e.g. "hand over to the team it is
        # with already" possible. The timeline says why nothing more happened.
        logger.info("escalation step %s on ticket %s: %s", step.pk, ticket.pk, error)
