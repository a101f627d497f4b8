"""Verbs the background worker runs on a schedule."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from guichet.lib.errors import Conflict
from guichet.tickets.choices import Status
from guichet.tickets.models import Ticket

from .lifecycle import close, resume


def wake_pending_tickets(*, limit: int = 500) -> int:
    """Bring back pending tickets whose "until" date has passed. Safe to run on two workers:
    each ticket is re-read under a lock and skipped if someone else already woke it."""
    now = timezone.now()
    ids = list(
        Ticket.objects.filter(status=Status.PENDING, pending_until__lte=now).values_list(
            "id", flat=True
        )[:limit]
    )
    woken = 0
    for ticket in Ticket.objects.filter(id__in=ids):
        try:
            resume(ticket=ticket, actor=None, at=now, note="pending_until")
            woken += 1
        except Conflict:
            continue
    return woken


def close_solved_tickets(*, limit: int = 500) -> int:
    """Close tickets whose solution went unanswered for TICKET_AUTOCLOSE_DAYS days."""
    now = timezone.now()
    cutoff = now - timedelta(days=settings.TICKET_AUTOCLOSE_DAYS)
    ids = list(
        Ticket.objects.filter(status=Status.SOLVED, solved_at__lte=cutoff).values_list(
            "id", flat=True
        )[:limit]
    )
    closed = 0
    for ticket in Ticket.objects.filter(id__in=ids):
        try:
            close(ticket=ticket, actor=None, at=now, note="auto")
            closed += 1
        except Conflict:
            continue
    return closed
