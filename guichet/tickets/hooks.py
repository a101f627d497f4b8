"""Extension points of the ticket verbs, for rooms that keep something in step with tickets
(the service contracts room keeps each ticket's clocks). Explicit, not signals: a verb calls
`opened` or `changed` itself, inside its transaction, so what a hook writes commits or rolls
back with the ticket."""

from collections.abc import Callable
from datetime import datetime

from guichet.tickets.models import Ticket

_opened: list[Callable[[Ticket, datetime], None]] = []
_changed: list[Callable[[Ticket, datetime], None]] = []


def on_opened(hook: Callable[[Ticket, datetime], None]) -> None:
    """Call `hook(ticket, at)` when a ticket has just been opened."""
    if hook not in _opened:
        _opened.append(hook)


def on_changed(hook: Callable[[Ticket, datetime], None]) -> None:
    """Call `hook(ticket, at)` after any verb changed a ticket (saved it with its events)."""
    if hook not in _changed:
        _changed.append(hook)


def opened(ticket: Ticket, at: datetime) -> None:
    for hook in _opened:
        hook(ticket, at)


def changed(ticket: Ticket, at: datetime) -> None:
    for hook in _changed:
        hook(ticket, at)
