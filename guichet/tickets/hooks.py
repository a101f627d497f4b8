"""Extension points of the ticket verbs, for rooms that keep something in step with tickets
(the service contracts room keeps each ticket's clocks, the mail room tells people). Explicit,
not signals: a verb calls `opened`, `changed` or `recorded` itself, inside its transaction, so
what a hook writes commits or rolls back with the ticket."""

from collections.abc import Callable
from datetime import datetime

from guichet.tickets.models import Ticket, TicketEvent

_opened: list[Callable[[Ticket, datetime], None]] = []
_changed: list[Callable[[Ticket, datetime], None]] = []
_events: list[Callable[[TicketEvent], None]] = []


def on_opened(hook: Callable[[Ticket, datetime], None]) -> None:
    """Call `hook(ticket, at)` when a ticket has just been opened."""
    if hook not in _opened:
        _opened.append(hook)


def on_changed(hook: Callable[[Ticket, datetime], None]) -> None:
    """Call `hook(ticket, at)` after any verb changed a ticket (saved it with its events)."""
    if hook not in _changed:
        _changed.append(hook)


def on_event(hook: Callable[[TicketEvent], None]) -> None:
    """Call `hook(event)` for every event a verb records (the mail room tells requesters)."""
    if hook not in _events:
        _events.append(hook)


def opened(ticket: Ticket, at: datetime) -> None:
    for hook in _opened:
        hook(ticket, at)


def changed(ticket: Ticket, at: datetime) -> None:
    for hook in _changed:
        hook(ticket, at)


def recorded(event: TicketEvent) -> None:
    for hook in _events:
        hook(event)
