"""The ticket's life as explicit endpoints: one verb each, answering the ticket after the change.

A verb the ticket's state forbids answers 409 with the reason; a verb reserved to the support
staff answers 403 to a requester.
"""

from django.utils.translation import gettext as _
from ninja import Body

from guichet.lib.errors import InvalidInput
from guichet.lib.schemas import responses
from guichet.tickets import actions
from guichet.tickets.schemas import (
    AssignIn,
    ContractIn,
    EscalateIn,
    MergeIn,
    NoteIn,
    PendingIn,
    PlanIn,
    ReasonIn,
    RequiredNoteIn,
    SatisfactionIn,
    SolveIn,
    TicketOut,
)

from .base import Lookups, TicketId, router, staff_only, ticket_after, ticket_for

TICKET = responses(TicketOut)
tags = ["ticket transitions"]


@router.post("/{ticket_id}/assign", response=TICKET, tags=tags)
def assign(request, ticket_id: TicketId, payload: AssignIn):
    """Give the ticket to a team and/or a technician. A field left out keeps its value; null
    clears it."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    given = payload.model_fields_set
    refs = Lookups(user)
    team = refs.team("team", payload.team) if "team" in given else ticket.team
    assignee = refs.user("assignee", payload.assignee) if "assignee" in given else ticket.assignee
    refs.check()
    ticket = actions.assign(ticket=ticket, actor=user, team=team, assignee=assignee)
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/escalate", response=TICKET, tags=tags)
def escalate(request, ticket_id: TicketId, payload: EscalateIn):
    """Functional escalation: to another team or level, with a note saying why."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    refs = Lookups(user)
    team = refs.team("team", payload.team)
    assignee = refs.user("assignee", payload.assignee)
    refs.check()
    ticket = actions.escalate(
        ticket=ticket, actor=user, team=team, assignee=assignee, note=payload.note
    )
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/escalate-to-supervisor", response=TICKET, tags=tags)
def escalate_to_supervisor(request, ticket_id: TicketId, payload: RequiredNoteIn):
    """Hierarchical escalation: flag the ticket and notify the supervisor."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    ticket = actions.escalate_to_supervisor(ticket=ticket, actor=user, note=payload.note)
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/pending", response=TICKET, tags=tags)
def set_pending(request, ticket_id: TicketId, payload: PendingIn):
    """Put the ticket on hold for a reason, optionally until a date and time."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    refs = Lookups(user)
    reason = refs.pending_reason("reason", payload.reason)
    refs.check()
    ticket = actions.set_pending(
        ticket=ticket, actor=user, reason=reason, until=payload.until, note=payload.note
    )
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/resume", response=TICKET, tags=tags)
def resume(request, ticket_id: TicketId, payload: NoteIn = Body(None)):  # noqa: B008
    """End a wait: the ticket goes back to its assignee, or to the queue."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    note = payload.note if payload else ""
    ticket = actions.resume(ticket=ticket, actor=user, note=note)
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/plan", response=TICKET, tags=tags)
def plan(request, ticket_id: TicketId, payload: PlanIn):
    """Book the work for a date and time (an appointment, an on-site visit)."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    ticket = actions.plan(ticket=ticket, actor=user, planned_for=payload.planned_for)
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/solve", response=TICKET, tags=tags)
def solve(request, ticket_id: TicketId, payload: SolveIn):
    """Propose a solution; the requester then accepts or refuses it."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    refs = Lookups(user)
    solution_type = refs.solution_type("solution_type", payload.solution_type)
    refs.check()
    ticket = actions.solve(
        ticket=ticket, actor=user, solution=payload.solution, solution_type=solution_type
    )
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/accept", response=TICKET, tags=tags)
def accept(request, ticket_id: TicketId):
    """The requester agrees the problem is solved: the ticket closes."""
    user = request.auth
    ticket = actions.accept_solution(ticket=ticket_for(user, ticket_id), actor=user)
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/refuse", response=TICKET, tags=tags)
def refuse(request, ticket_id: TicketId, payload: ReasonIn):
    """The requester says it is not solved: the ticket reopens."""
    user = request.auth
    ticket = actions.refuse_solution(
        ticket=ticket_for(user, ticket_id), actor=user, reason=payload.reason
    )
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/close", response=TICKET, tags=tags)
def close(request, ticket_id: TicketId, payload: NoteIn = Body(None)):  # noqa: B008
    """Close a solved ticket (support staff)."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    note = payload.note if payload else ""
    ticket = actions.close(ticket=ticket, actor=user, note=note)
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/reopen", response=TICKET, tags=tags)
def reopen(request, ticket_id: TicketId, payload: ReasonIn):
    """Reopen a solved or closed ticket (support staff); it counts as a reopening."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    ticket = actions.reopen(ticket=ticket, actor=user, reason=payload.reason)
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/merge", response=TICKET, tags=tags)
def merge(request, ticket_id: TicketId, payload: MergeIn):
    """Merge this ticket into another: the conversation moves there and this one closes.
    Answers the receiving ticket."""
    user = request.auth
    source = ticket_for(user, ticket_id)
    staff_only(user)
    refs = Lookups(user)
    target = refs.ticket("into", payload.into)
    refs.check()
    target = actions.merge(source=source, target=target, actor=user)
    return ticket_after(user, target)


@router.post("/{ticket_id}/satisfaction", response=TICKET, tags=tags)
def rate(request, ticket_id: TicketId, payload: SatisfactionIn):
    """The requester rates the service, from 1 to 5, once the ticket is solved."""
    user = request.auth
    ticket = actions.rate_satisfaction(
        ticket=ticket_for(user, ticket_id),
        actor=user,
        score=payload.score,
        comment=payload.comment,
    )
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/visit", response=TICKET, tags=tags)
def require_visit(request, ticket_id: TicketId, payload: NoteIn = Body(None)):  # noqa: B008
    """Say the ticket needs a technician on site: the time to intervene (GTI) starts."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    note = payload.note if payload else ""
    ticket = actions.require_visit(ticket=ticket, actor=user, note=note)
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/arrival", response=TICKET, tags=tags)
def record_arrival(request, ticket_id: TicketId):
    """The technician is on site: the time to intervene stops."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    ticket = actions.record_arrival(ticket=ticket, actor=user)
    return ticket_after(user, ticket)


@router.post("/{ticket_id}/contract", response=TICKET, tags=tags)
def set_contract(request, ticket_id: TicketId, payload: ContractIn):
    """Measure the ticket against another contract of its client (or the default one), with
    the reason, recorded in its history. Time already counted stays counted in the hours it
    was counted in."""
    from guichet.sla.actions import set_contract as change_contract
    from guichet.sla.contracts import contracts_for_client

    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    allowed = {c.pk: c for c in contracts_for_client(ticket.organisation_id)}
    contract = allowed.get(payload.contract)
    if contract is None:
        raise InvalidInput({"contract": [_("No such contract for this client.")]})
    ticket = change_contract(ticket=ticket, actor=user, contract=contract, reason=payload.reason)
    return ticket_after(user, ticket)
