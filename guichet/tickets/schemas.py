"""What the ticket API reads and writes: request bodies, query parameters, representations.

Related objects appear as small `{id, name}` objects (`Ref`), other tickets as their id.
Input schemas forbid unknown fields, so that a misspelt or read-only field (`status`,
`assignee` in a PATCH) is an error rather than silently ignored.
"""

from datetime import datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema
from pydantic import ConfigDict

from guichet.lib.schemas import Day, Id, Moment, PageOut, Ref, Text, optional
from guichet.sla import display
from guichet.tickets import reference
from guichet.tickets.choices import Channel, LinkKind, TicketType
from guichet.tickets.models import Attachment, FollowUp, Ticket, TicketEvent, TicketTask

TEXT_MAX = 100_000
TITLE_MAX = 250


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# --- Tickets -----------------------------------------------------------------------------------
class TicketIn(Input):
    """A new ticket. Only title and description are needed; the rest has defaults."""

    title: Text = Field(..., max_length=TITLE_MAX)
    description: Text = Field("", max_length=TEXT_MAX)
    type: TicketType = TicketType.INCIDENT
    channel: Channel | None = Field(None, description="Defaults to `api`.")
    impact: int = Field(3, ge=1, le=5)
    urgency: int = Field(3, ge=1, le=5)
    requester: Id | None = Field(None, description="Defaults to the caller.")
    organisation: Id | None = Field(None, description="Defaults to the requester's.")
    location: Id | None = None
    category: Id | None = None
    team: Id | None = Field(None, description="Support staff only.")
    assignee: Id | None = Field(None, description="Support staff only.")


class TicketUpdate(Input):
    """Qualification changes (support staff). The priority follows impact × urgency unless
    given; priority 6 (major) needs a `major_reason`."""

    title: Text = optional(max_length=TITLE_MAX)
    description: Text = optional(max_length=TEXT_MAX)
    type: TicketType = optional()
    channel: Channel = optional()
    impact: int = optional(ge=1, le=5)
    urgency: int = optional(ge=1, le=5)
    category: Id | None = None
    location: Id | None = None
    priority: int = optional(ge=1, le=6)
    major_reason: Text = optional(max_length=TEXT_MAX)


Scope = Literal["mine", "team", "unassigned", "open", "all"]
Sort = Literal[
    "-id",
    "id",
    "-created",
    "created",
    "-updated",
    "updated",
    "-priority",
    "priority",
    "due",
    "-due",
]


class TicketFilters(Schema):
    """The queue filters of the UI, as query parameters."""

    scope: Scope = "all"
    status: list[Text] = Field([], description="Repeat the parameter or separate by commas.")
    priority: list[Text] = Field([], description="1 to 6; repeat or separate by commas.")
    type: TicketType | None = None
    team: Id | None = None
    assignee: Text | None = Field(
        None, pattern=r"^(me|none|[1-9][0-9]{0,17})$", description="An id, `me` or `none`."
    )
    organisation: Id | None = None
    category: Id | None = Field(None, description="The category or one of its children.")
    requester: Id | None = None
    created_after: Day | None = None
    created_before: Day | None = None
    q: Text = Field("", max_length=200, description="Words of the title or description.")
    sort: Sort = "-id"
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)

    def as_params(self) -> dict:
        """The filters as `parse_filters` reads them (the same parser as the UI's queues)."""
        params: dict = {"scope": self.scope, "sort": self.sort, "q": self.q}
        params["status"] = self.status
        params["priority"] = self.priority
        for name in ("type", "team", "assignee", "organisation", "category", "requester"):
            value = getattr(self, name)
            if value is not None:
                params[name] = str(getattr(value, "value", value))
        for name in ("created_after", "created_before"):
            value = getattr(self, name)
            if value is not None:
                params[name] = value.isoformat()
        return params


class ClockOut(Schema):
    kind: str = Field(description="own, resolve, next_response, intervene or ola (internal).")
    name: str
    target_seconds: int | None = Field(description="The target in business seconds.")
    elapsed_seconds: int = Field(description="Business seconds counted in this cycle.")
    paused_seconds: int = Field(
        description="Business seconds not counted in this cycle: the ticket waited for a "
        "reason the contract says stops the clock."
    )
    due_at: datetime | None = Field(
        description="When the target is (or was) reached; null while paused or stopped early."
    )
    remaining_seconds: int | None = Field(
        description="Business seconds left, negative when overdue; null without a target."
    )
    running: bool
    paused: bool
    breached: bool
    stopped_at: datetime | None


class TicketOut(Schema):
    id: int
    title: str
    description: str
    type: str
    channel: str
    status: str
    impact: int
    urgency: int
    priority: int
    major_reason: str
    requester: Ref
    organisation: Ref
    location: Ref | None
    category: Ref | None
    team: Ref | None
    assignee: Ref | None
    escalated: bool
    pending_reason: Ref | None
    pending_until: datetime | None
    planned_for: datetime | None
    solution: str
    solution_type: Ref | None
    solved_at: datetime | None
    closed_at: datetime | None
    reopen_count: int
    merged_into: int | None = Field(description="The id of the ticket this one was merged into.")
    satisfaction: int | None
    satisfaction_comment: str
    created_at: datetime
    updated_at: datetime
    sla: list[ClockOut] = Field(
        description="The ticket's service clocks as of now (the team's OLA for staff only)."
    )


class TicketPage(PageOut):
    items: list[TicketOut]


# The relations `ticket_out` reads from the database: select them with the ticket to avoid a
# query per row. The organisation, site, category, team, technician, pending reason and
# solution type come from the reference cache.
TICKET_RELATED = ("requester",)


def _ref(obj, name: str | None = None) -> dict | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": name if name is not None else obj.name}


def _user_ref(user) -> dict | None:
    return None if user is None else {"id": user.pk, "name": user.display_name}


def clock_out(clock) -> dict:
    return {
        "kind": clock.kind,
        "name": clock.name,
        "target_seconds": clock.target_seconds,
        "elapsed_seconds": clock.elapsed_seconds,
        "paused_seconds": clock.paused_seconds,
        "due_at": clock.due_at,
        "remaining_seconds": clock.remaining_seconds,
        "running": clock.running,
        "paused": clock.paused,
        "breached": clock.breached,
        "stopped_at": clock.stopped_at,
    }


def ticket_out(ticket: Ticket, *, internal: bool = True) -> dict:
    """The ticket's representation; `internal` False leaves out what only staff see."""
    reference.attach(ticket)
    return {
        "id": ticket.pk,
        "title": ticket.title,
        "description": ticket.description,
        "type": ticket.type,
        "channel": ticket.channel,
        "status": ticket.status,
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "priority": ticket.priority,
        "major_reason": ticket.major_reason,
        "requester": _user_ref(ticket.requester),
        "organisation": _ref(ticket.organisation),
        "location": _ref(ticket.location),
        "category": _ref(ticket.category),
        "team": _ref(ticket.team),
        "assignee": _user_ref(ticket.assignee),
        "escalated": ticket.escalated,
        "pending_reason": _ref(ticket.pending_reason),
        "pending_until": ticket.pending_until,
        "planned_for": ticket.planned_for,
        "solution": ticket.solution,
        "solution_type": _ref(ticket.solution_type),
        "solved_at": ticket.solved_at,
        "closed_at": ticket.closed_at,
        "reopen_count": ticket.reopen_count,
        "merged_into": ticket.merged_into_id,
        "satisfaction": ticket.satisfaction,
        "satisfaction_comment": ticket.satisfaction_comment,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "sla": [clock_out(c) for c in display.ticket_clocks(ticket, internal=internal)],
    }


# --- Transitions -------------------------------------------------------------------------------
class AssignIn(Input):
    """A field left out keeps its value; null clears it."""

    team: Id | None = None
    assignee: Id | None = None


class EscalateIn(Input):
    team: Id
    note: Text = Field(..., max_length=TEXT_MAX)
    assignee: Id | None = None


class NoteIn(Input):
    note: Text = Field("", max_length=TEXT_MAX)


class RequiredNoteIn(Input):
    note: Text = Field(..., max_length=TEXT_MAX)


class PendingIn(Input):
    reason: Id | Text = Field(..., description="A pending reason's id or code.")
    until: Moment | None = Field(None, description="The ticket comes back by itself then.")
    note: Text = Field("", max_length=TEXT_MAX)


class PlanIn(Input):
    planned_for: Moment


class SolveIn(Input):
    solution: Text = Field(..., max_length=TEXT_MAX)
    solution_type: Id | Text | None = Field(None, description="A solution type's id or code.")


class ReasonIn(Input):
    reason: Text = Field(..., max_length=TEXT_MAX)


class ContractIn(Input):
    contract: Id = Field(..., description="The contract's id (the client's or the default).")
    reason: Text = Field(..., max_length=1000, description="Why, recorded in the history.")


class MergeIn(Input):
    into: Id = Field(..., description="The ticket that receives this one.")


class SatisfactionIn(Input):
    score: int = Field(..., ge=1, le=5)
    comment: Text = Field("", max_length=5000)


# --- Conversation ------------------------------------------------------------------------------
class FollowUpIn(Input):
    body: Text = Field(..., max_length=TEXT_MAX)
    internal: bool = Field(False, description="Staff only: hidden from the requester.")


class FollowUpOut(Schema):
    id: int
    author: Ref
    body: str
    is_internal: bool
    created_at: datetime


def followup_out(followup: FollowUp) -> dict:
    return {
        "id": followup.pk,
        "author": _user_ref(followup.author),
        "body": followup.body,
        "is_internal": followup.is_internal,
        "created_at": followup.created_at,
    }


class TaskIn(Input):
    description: Text = Field(..., max_length=TEXT_MAX)
    duration_minutes: int = Field(0, ge=0, le=100_000)
    done: bool = False


class TaskUpdate(Input):
    done: bool = optional()
    duration_minutes: int = optional(ge=0, le=100_000)


class TaskOut(Schema):
    id: int
    description: str
    duration_minutes: int
    done: bool
    author: Ref
    created_at: datetime


def task_out(task: TicketTask) -> dict:
    return {
        "id": task.pk,
        "description": task.description,
        "duration_minutes": task.duration_minutes,
        "done": task.done,
        "author": _user_ref(task.author),
        "created_at": task.created_at,
    }


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int
    is_internal: bool
    followup: int | None
    uploaded_by: Ref
    created_at: datetime
    download_url: str


def attachment_out(attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "filename": attachment.filename,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "is_internal": attachment.is_internal,
        "followup": attachment.followup_id,
        "uploaded_by": _user_ref(attachment.uploaded_by),
        "created_at": attachment.created_at,
        "download_url": reverse(
            "api-v1:attachment-content",
            kwargs={"ticket_id": attachment.ticket_id, "attachment_id": attachment.pk},
        ),
    }


class EventOut(Schema):
    id: int
    kind: str
    field: str
    old_value: str
    new_value: str
    note: str
    is_public: bool
    actor: Ref | None
    created_at: datetime


def event_out(event: TicketEvent) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "field": event.field,
        "old_value": event.old_value,
        "new_value": event.new_value,
        "note": event.note,
        "is_public": event.is_public,
        "actor": _user_ref(event.actor),
        "created_at": event.created_at,
    }


class LinkIn(Input):
    target: Id
    kind: LinkKind


class LinkOut(Schema):
    id: int
    kind: str
    source: int
    target: int
    created_at: datetime


class WatcherIn(Input):
    user: Id


# --- Reference lists ---------------------------------------------------------------------------
class CategoryOut(Schema):
    id: int
    code: str
    name: str
    name_fr: str
    name_en: str
    parent: int | None
    active: bool


class ReferenceOut(Schema):
    """A pending reason or a solution type."""

    id: int
    code: str
    name: str
    name_fr: str
    name_en: str
    active: bool
