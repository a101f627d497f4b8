"""What a mail template may read: plain strings built from the ticket and the recipient.
Never model instances, so an administrator's template cannot reach anything else."""

from django.conf import settings
from django.urls import reverse

from guichet.accounts import reference as people
from guichet.accounts.models import User
from guichet.tickets.choices import Priority, Status
from guichet.tickets.models import Ticket

SITE_NAME = "Guichet"


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def ticket_url(ticket: Ticket, recipient: User | None) -> str:
    staff = recipient is not None and recipient.is_support_staff
    name = "tickets:detail" if staff else "portal:detail"
    return absolute(reverse(name, args=[ticket.pk]))


def ticket_context(ticket: Ticket | None, recipient: User | None) -> dict:
    """Call under the recipient's language: labels are translated."""
    context: dict = {
        "site_name": SITE_NAME,
        "recipient": {"name": recipient.display_name if recipient else ""},
    }
    if ticket is None:
        return context
    context["ticket"] = {
        "id": str(ticket.pk),
        "reference": ticket.reference,
        "title": ticket.title,
        "status": str(Status(ticket.status).label),
        "priority": str(Priority(ticket.priority).label),
        "url": ticket_url(ticket, recipient),
    }
    # A client created a moment ago (a stranger's first mail) may not be in the cache yet.
    name = people.organisation_name_map().get(ticket.organisation_id)
    context["organisation"] = {"name": name if name is not None else ticket.organisation.name}
    return context
