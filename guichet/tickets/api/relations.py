"""Tickets related to a ticket (links) and people who follow it (watchers)."""

from django.db.models import Q
from django.http import Http404
from ninja import Status

from guichet.accounts.access import visible_tickets, visible_users
from guichet.lib.schemas import Ref, responses
from guichet.tickets import actions
from guichet.tickets.models import Ticket, TicketLink
from guichet.tickets.schemas import LinkIn, LinkOut, WatcherIn

from .base import ItemId, Lookups, TicketId, router, staff_only, ticket_for

tags = ["ticket relations"]


def link_out(link: TicketLink) -> dict:
    return {
        "id": link.pk,
        "kind": link.kind,
        "source": link.source_id,
        "target": link.target_id,
        "created_at": link.created_at,
    }


@router.get("/{ticket_id}/links", response=responses(list[LinkOut]), tags=tags)
def list_links(request, ticket_id: TicketId):
    """Links from and to the ticket, to tickets the caller may see."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    others = visible_tickets(user).values("pk")
    links = TicketLink.objects.filter(
        Q(source=ticket, target__in=others) | Q(target=ticket, source__in=others)
    ).order_by("id")
    return [link_out(link) for link in links]


@router.post("/{ticket_id}/links", response=responses(LinkOut, 201), tags=tags)
def add_link(request, ticket_id: TicketId, payload: LinkIn):
    """Link this ticket to another: duplicate of, related to, parent of (support staff)."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    refs = Lookups(user)
    target = refs.ticket("target", payload.target)
    refs.check()
    link = actions.link_tickets(source=ticket, target=target, kind=payload.kind.value, actor=user)
    return Status(201, link_out(link))


def _watchers(user, ticket: Ticket) -> list[dict]:
    watchers = visible_users(user).filter(watched_tickets=ticket)
    return [{"id": w.pk, "name": w.display_name} for w in watchers]


@router.get("/{ticket_id}/watchers", response=responses(list[Ref]), tags=tags)
def list_watchers(request, ticket_id: TicketId):
    """People told about the ticket's changes."""
    user = request.auth
    return _watchers(user, ticket_for(user, ticket_id))


@router.post("/{ticket_id}/watchers", response=responses(list[Ref]), tags=tags)
def add_watcher(request, ticket_id: TicketId, payload: WatcherIn):
    """Add a watcher: anyone may watch a ticket they see; the staff may add others."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    refs = Lookups(user)
    watcher = refs.user("user", payload.user)
    refs.check()
    actions.add_watcher(ticket=ticket, actor=user, user=watcher)
    return _watchers(user, ticket)


@router.delete("/{ticket_id}/watchers/{user_id}", response=responses(list[Ref]), tags=tags)
def remove_watcher(request, ticket_id: TicketId, user_id: ItemId):
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    watcher = visible_users(user).filter(pk=user_id).first()
    if watcher is None:
        raise Http404
    actions.remove_watcher(ticket=ticket, actor=user, user=watcher)
    return _watchers(user, ticket)
