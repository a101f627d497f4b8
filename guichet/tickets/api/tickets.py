"""Tickets: list (the queue filters, cursor pagination), open, read, qualify."""

from datetime import datetime

from ninja import Query

from guichet.accounts.access import is_staff_member
from guichet.lib.pagination import keyset_page
from guichet.lib.schemas import built_response, page_cursor, responses
from guichet.sla import display
from guichet.tickets import actions
from guichet.tickets.choices import Channel
from guichet.tickets.filters import parse_filters
from guichet.tickets.schemas import (
    TicketFilters,
    TicketIn,
    TicketOut,
    TicketPage,
    TicketUpdate,
    ticket_out,
)

from .base import Lookups, TicketId, router, staff_only, ticket_after, ticket_for, tickets_for

# The type of each sort column's value, which a cursor must carry.
CURSOR_TYPES = {
    "id": int,
    "priority": int,
    "created_at": datetime,
    "updated_at": datetime,
    "due_at": datetime,
}


@router.get("", response=responses(TicketPage))
def list_tickets(request, filters: Query[TicketFilters]):
    """Tickets the caller may see, filtered as in the queues, newest first by default.

    Pass `next_cursor` (or `prev_cursor`) back as `cursor` for the next (previous) page; the
    cost of a page does not grow with its depth.
    """
    user = request.auth
    parsed = parse_filters(filters.as_params())
    field, descending = parsed.order
    page = keyset_page(
        parsed.apply(tickets_for(user), user),
        field=field,
        descending=descending,
        size=filters.limit,
        cursor=page_cursor(filters.cursor, CURSOR_TYPES[field]),
    )
    display.attach(page.items)  # the page's clocks in one query
    internal = is_staff_member(user)
    payload = {
        "items": [ticket_out(t, internal=internal) for t in page.items],
        "next_cursor": page.next_cursor,
        "prev_cursor": page.prev_cursor,
    }
    return built_response(request, payload)


@router.post("", response=responses(TicketOut, 201))
def create_ticket(request, payload: TicketIn):
    """Open a ticket. `{"title", "description"}` is enough: an incident of impact and urgency
    3, for the caller and their organisation."""
    user = request.auth
    refs = Lookups(user)
    values = {
        "requester": refs.user("requester", payload.requester),
        "organisation": refs.organisation("organisation", payload.organisation),
        "location": refs.location("location", payload.location),
        "category": refs.category("category", payload.category),
        "team": refs.team("team", payload.team),
        "assignee": refs.user("assignee", payload.assignee),
    }
    refs.check()
    ticket = actions.open_ticket(
        actor=user,
        title=payload.title,
        description=payload.description,
        type=payload.type.value,
        channel=payload.channel.value if payload.channel else Channel.API,
        impact=payload.impact,
        urgency=payload.urgency,
        **values,
    )
    # The new ticket as the action made it, with the objects it was given: nothing to read back.
    return built_response(request, ticket_out(ticket, internal=is_staff_member(user)), status=201)


@router.get("/{ticket_id}", response=responses(TicketOut))
def read_ticket(request, ticket_id: TicketId):
    user = request.auth
    return ticket_out(ticket_for(user, ticket_id), internal=is_staff_member(user))


@router.patch("/{ticket_id}", response=responses(TicketOut))
def update_ticket(request, ticket_id: TicketId, payload: TicketUpdate):
    """Change the qualification: fields left out keep their value (support staff)."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    changes = payload.model_dump(exclude_unset=True)
    refs = Lookups(user)
    if "category" in changes:
        changes["category"] = refs.category("category", changes["category"])
    if "location" in changes:
        changes["location"] = refs.location("location", changes["location"])
    refs.check()
    for name in ("type", "channel"):
        if name in changes:
            changes[name] = getattr(payload, name).value
    ticket = actions.update_ticket(ticket=ticket, actor=user, **changes)
    return ticket_after(user, ticket)
