"""Helpers shared by the ticket verbs: events, permission checks, transitions, priority."""

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.accounts.access import is_staff_member
from guichet.lib.errors import Conflict, Forbidden
from guichet.tickets import hooks
from guichet.tickets.choices import TRANSITIONS, EventKind, Status
from guichet.tickets.models import Ticket, TicketEvent
from guichet.tickets.reference import priority_matrix


def now_or(at: datetime | None) -> datetime:
    return at or timezone.now()


def compute_priority(*, impact: int, urgency: int) -> int:
    return priority_matrix()[(urgency, impact)]


def record(
    ticket: Ticket,
    actor,
    kind: str,
    *,
    at: datetime,
    field: str = "",
    old="",
    new="",
    note: str = "",
    public: bool = True,
) -> TicketEvent:
    event = TicketEvent.objects.create(
        ticket=ticket,
        actor=actor,
        kind=kind,
        field=field,
        old_value="" if old is None else str(old),
        new_value="" if new is None else str(new),
        note=note,
        is_public=public,
        created_at=at,
    )
    hooks.recorded(event)
    return event


def require_staff(actor) -> None:
    if not is_staff_member(actor):
        raise Forbidden(_("Only the support staff can do this."))


def lock(ticket: Ticket) -> Ticket:
    """Re-read the ticket under a row lock so two concurrent changes never interleave."""
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def change_status(ticket: Ticket, actor, new: str, *, at: datetime, note: str = "") -> None:
    old = ticket.status
    if new == old:
        return
    if ticket.merged_into_id:
        raise Conflict(_("This ticket was merged into #%(id)s.") % {"id": ticket.merged_into_id})
    if new not in TRANSITIONS[old]:
        raise Conflict(
            _("A ticket cannot go from “%(old)s” to “%(new)s”.")
            % {"old": Status(old).label, "new": Status(new).label}
        )
    ticket.status = new
    record(ticket, actor, EventKind.STATUS, at=at, field="status", old=old, new=new, note=note)


def working_status(ticket: Ticket) -> str:
    """The status an open ticket returns to when nothing holds it: assigned if someone has it."""
    return Status.ASSIGNED if ticket.assignee_id else Status.NEW


def settle_status(ticket: Ticket, actor, *, at: datetime) -> bool:
    """After an assignment change, a new or assigned ticket takes the status that matches
    whether someone has it; returns whether the status changed."""
    if ticket.status not in (Status.NEW, Status.ASSIGNED):
        return False
    target = working_status(ticket)
    if target == ticket.status:
        return False
    change_status(ticket, actor, target, at=at)
    return True


def save(ticket: Ticket, fields: list[str], *, at: datetime) -> None:
    """Save the changed fields, then let other rooms follow (see tickets.hooks)."""
    ticket.updated_at = at
    ticket.save(update_fields=[*fields, "updated_at"])
    hooks.changed(ticket, at)
