"""Small factory functions for tickets."""

from guichet.tickets import actions
from guichet.tickets.models import Category, Ticket


def make_ticket(
    requester, *, actor=None, title: str = "Printer does not print", **fields
) -> Ticket:
    """Open a ticket through the real action, as the requester unless another actor is given."""
    return actions.open_ticket(actor=actor or requester, requester=requester, title=title, **fields)


def category(code: str = "hardware-printer") -> Category:
    return Category.objects.get(code=code)
