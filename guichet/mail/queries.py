"""Reads of the mail room: which ticket a message belongs to, who sent it, which mailbox."""

from django.db.models.functions import Lower

from guichet.accounts.choices import Role
from guichet.accounts.models import Organisation, User
from guichet.lib import refcache
from guichet.mail.choices import Outcome
from guichet.mail.models import InboundMessage, Mailbox, OutboundMessage
from guichet.tickets.models import Ticket

# A reply never names more than this many messages worth looking up: the first (the thread's
# root) and the most recent ones are what clients keep.
MAX_REFERENCES = 30


def mailboxes() -> list[Mailbox]:
    """Every mailbox, from the process's reference cache (read-only objects: every mail
    queued asks for the desk's own addresses)."""
    return refcache.cached("mail.mailboxes", lambda: list(Mailbox.objects.all()))


def default_mailbox() -> Mailbox | None:
    return next((m for m in mailboxes() if m.is_default and m.active), None)


def mailbox_addresses() -> set[str]:
    return refcache.cached(
        "mail.addresses", lambda: {m.address.lower() for m in mailboxes() if m.address}
    )


def thread_ticket_id(references: list[str]) -> int | None:
    """The ticket a reply belongs to, from the Message-IDs it names: those Guichet sent, then
    those it received and filed on a ticket. In-Reply-To comes first in `references`, so the
    message answered directly wins over older entries of the thread."""
    if not references:
        return None
    wanted = references[:MAX_REFERENCES]
    if len(references) > MAX_REFERENCES:
        wanted = references[:1] + references[-(MAX_REFERENCES - 1) :]
    found: dict[str, int] = dict(
        OutboundMessage.objects.filter(message_id__in=wanted, ticket__isnull=False)
        .order_by()  # no sort: the models' default one made SQLite build a temporary B-tree
        .values_list("message_id", "ticket_id")
    )
    if wanted[0] in found:
        return found[wanted[0]]  # the message answered was one of ours: nothing more to read
    missing = [r for r in wanted if r not in found]
    if missing:
        # By Message-ID alone, the outcome checked here: with the outcome in the query a
        # planner without statistics walked the outcome index instead of the unique one.
        for message_id, ticket_id, outcome in (
            InboundMessage.objects.filter(message_id__in=missing, ticket__isnull=False)
            .order_by()
            .values_list("message_id", "ticket_id", "outcome")
        ):
            if outcome in (Outcome.TICKET, Outcome.FOLLOWUP):
                found[message_id] = ticket_id
    for reference in wanted:
        if reference in found:
            return found[reference]
    return None


def final_ticket(ticket_id: int) -> Ticket | None:
    """The ticket, or the one it was merged into (followed to the end of the chain)."""
    seen: set[int] = set()
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    while ticket is not None and ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = Ticket.objects.filter(pk=ticket.merged_into_id).first()
    return ticket


def contact_for(address: str) -> User | None:
    """The active person with this address (requesters first: a technician's private address
    may also be a client's contact)."""
    people = list(
        User.objects.annotate(address=Lower("email"))
        .filter(address=address.lower(), is_active=True)
        .order_by("id")[:5]
    )
    people.sort(key=lambda u: (u.role != Role.REQUESTER, u.pk))
    return people[0] if people else None


def organisation_for_domain(address: str) -> Organisation | None:
    domain = address.rsplit("@", 1)[-1].lower()
    if not domain:
        return None
    return (
        Organisation.objects.annotate(domain=Lower("email_domain"))
        .filter(domain=domain)
        .order_by("id")
        .first()
    )
