"""Linking incidents to problems: a ProblemEvent on the problem and a TicketEvent on the
ticket, in the same transaction, and only for tickets the actor may see."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import may_see_ticket
from guichet.lib.errors import InvalidInput
from guichet.problems.actions.common import lock, record, require_staff
from guichet.problems.choices import ProblemEventKind
from guichet.problems.models import Problem, ProblemTicket
from guichet.tickets.actions.common import record as record_on_ticket
from guichet.tickets.choices import EventKind
from guichet.tickets.models import Ticket


def _not_visible(ticket: Ticket) -> InvalidInput:
    return InvalidInput(
        {"ticket": [_("No ticket #%(n)s among those you can see.") % {"n": ticket.pk}]}
    )


def _link(problem: Problem, ticket: Ticket, actor, *, at: datetime) -> None:
    ProblemTicket.objects.create(problem=problem, ticket=ticket, linked_by=actor, created_at=at)
    record(problem, actor, ProblemEventKind.LINKED, at=at, field="ticket", new=ticket.pk)
    # Problems are the staff's business: the requester's timeline does not show this.
    note = _("Linked to the problem %(ref)s: %(title)s") % {
        "ref": problem.reference,
        "title": problem.title,
    }
    record_on_ticket(ticket, actor, EventKind.PROBLEM, at=at, new=problem.pk, note=note,
                     public=False)  # fmt: skip


def attach_tickets(problem: Problem, tickets: list[Ticket], actor, *, at: datetime) -> int:
    """Link several tickets (in a transaction already); those linked before are skipped."""
    for ticket in tickets:
        if not may_see_ticket(actor, ticket):
            raise _not_visible(ticket)
    already = set(
        ProblemTicket.objects.filter(problem=problem, ticket__in=tickets).values_list(
            "ticket_id", flat=True
        )
    )
    added = 0
    for ticket in sorted({t.pk: t for t in tickets}.values(), key=lambda t: t.pk):
        if ticket.pk not in already:
            _link(problem, ticket, actor, at=at)
            added += 1
    return added


@transaction.atomic
def link_ticket(*, problem: Problem, ticket: Ticket, actor, at: datetime | None = None) -> None:
    require_staff(actor)
    at = at or timezone.now()
    if not may_see_ticket(actor, ticket):
        raise _not_visible(ticket)
    problem = lock(problem)
    if ProblemTicket.objects.filter(problem=problem, ticket=ticket).exists():
        raise InvalidInput(
            {"ticket": [_("Ticket #%(n)s is already linked to this problem.") % {"n": ticket.pk}]}
        )
    _link(problem, ticket, actor, at=at)
    problem.updated_at = at
    problem.save(update_fields=["updated_at"])


@transaction.atomic
def unlink_ticket(*, problem: Problem, ticket: Ticket, actor, at: datetime | None = None) -> None:
    require_staff(actor)
    at = at or timezone.now()
    if not may_see_ticket(actor, ticket):
        raise _not_visible(ticket)
    problem = lock(problem)
    deleted, _rows = ProblemTicket.objects.filter(problem=problem, ticket=ticket).delete()
    if not deleted:
        raise InvalidInput(
            {"ticket": [_("Ticket #%(n)s is not linked to this problem.") % {"n": ticket.pk}]}
        )
    record(problem, actor, ProblemEventKind.UNLINKED, at=at, field="ticket", old=ticket.pk)
    note = _("Unlinked from the problem %(ref)s") % {"ref": problem.reference}
    record_on_ticket(ticket, actor, EventKind.PROBLEM, at=at, old=problem.pk, note=note,
                     public=False)  # fmt: skip
    problem.updated_at = at
    problem.save(update_fields=["updated_at"])
