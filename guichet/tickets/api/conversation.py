"""What is said and done on a ticket: follow-ups, tasks, attachments and the timeline.

Requesters never see what is internal: internal follow-ups and files, non-public events, tasks.
"""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Status, UploadedFile

from guichet.accounts.access import is_staff_member
from guichet.lib.errors import InvalidInput
from guichet.lib.schemas import responses
from guichet.tickets import actions
from guichet.tickets.models import Attachment, TicketEvent
from guichet.tickets.schemas import (
    AttachmentOut,
    EventOut,
    FollowUpIn,
    FollowUpOut,
    TaskIn,
    TaskOut,
    TaskUpdate,
    attachment_out,
    event_out,
    followup_out,
    task_out,
)

from .base import ItemId, TicketId, router, staff_only, ticket_for

tags = ["ticket conversation"]


@router.get("/{ticket_id}/followups", response=responses(list[FollowUpOut]), tags=tags)
def list_followups(request, ticket_id: TicketId):
    """The messages on the ticket, oldest first (internal notes for the support staff only)."""
    user = request.auth
    followups = ticket_for(user, ticket_id).followups.select_related("author")
    if not is_staff_member(user):
        followups = followups.filter(is_internal=False)
    return [followup_out(f) for f in followups]


@router.post("/{ticket_id}/followups", response=responses(FollowUpOut, 201), tags=tags)
def add_followup(request, ticket_id: TicketId, payload: FollowUpIn):
    """Write on the ticket. A requester's reply brings back a ticket that waited on them."""
    user = request.auth
    followup = actions.add_followup(
        ticket=ticket_for(user, ticket_id), actor=user, body=payload.body, internal=payload.internal
    )
    return Status(201, followup_out(followup))


@router.get("/{ticket_id}/tasks", response=responses(list[TaskOut]), tags=tags)
def list_tasks(request, ticket_id: TicketId):
    """The work done on the ticket and the time it took (support staff)."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    return [task_out(t) for t in ticket.tasks.select_related("author")]


@router.post("/{ticket_id}/tasks", response=responses(TaskOut, 201), tags=tags)
def add_task(request, ticket_id: TicketId, payload: TaskIn):
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    task = actions.add_task(
        ticket=ticket,
        actor=user,
        description=payload.description,
        duration_minutes=payload.duration_minutes,
        done=payload.done,
    )
    return Status(201, task_out(task))


@router.patch("/{ticket_id}/tasks/{task_id}", response=responses(TaskOut), tags=tags)
def update_task(request, ticket_id: TicketId, task_id: ItemId, payload: TaskUpdate):
    """Mark a task done or not done, or correct its time spent."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    staff_only(user)
    task = ticket.tasks.select_related("author", "ticket").filter(pk=task_id).first()
    if task is None:
        raise Http404
    given = payload.model_fields_set
    task = actions.set_task_done(
        task=task,
        actor=user,
        done=payload.done if "done" in given else task.done,
        duration_minutes=payload.duration_minutes if "duration_minutes" in given else None,
    )
    return task_out(task)


def _attachments(user, ticket):
    attachments = ticket.attachments.select_related("uploaded_by")
    if not is_staff_member(user):
        attachments = attachments.filter(is_internal=False)
    return attachments


@router.get("/{ticket_id}/attachments", response=responses(list[AttachmentOut]), tags=tags)
def list_attachments(request, ticket_id: TicketId):
    user = request.auth
    return [attachment_out(a) for a in _attachments(user, ticket_for(user, ticket_id))]


@router.post("/{ticket_id}/attachments", response=responses(AttachmentOut, 201), tags=tags)
def upload_attachment(
    request,
    ticket_id: TicketId,
    file: File[UploadedFile],
    internal: Form[bool] = False,
):
    """Attach a file (multipart form, field `file`). Its size is limited and its content must
    match its name (documents, images, archives, logs, mail)."""
    user = request.auth
    ticket = ticket_for(user, ticket_id)
    name = file.name or ""
    if "\x00" in name or not name.isprintable():
        raise InvalidInput({"file": _("The file name contains characters that are not allowed.")})
    attachment = actions.add_attachment(ticket=ticket, actor=user, upload=file, internal=internal)
    return Status(201, attachment_out(attachment))


@router.get(
    "/{ticket_id}/attachments/{attachment_id}/content",
    response=responses(None),
    tags=tags,
    url_name="attachment-content",
    openapi_extra={
        "responses": {
            200: {
                "description": "The file, to download.",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def download_attachment(request, ticket_id: TicketId, attachment_id: ItemId):
    """The file itself, as a download, with its checked content type."""
    user = request.auth
    attachment: Attachment | None = (
        _attachments(user, ticket_for(user, ticket_id)).filter(pk=attachment_id).first()
    )
    if attachment is None:
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except OSError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )


@router.get("/{ticket_id}/events", response=responses(list[EventOut]), tags=tags)
def list_events(request, ticket_id: TicketId):
    """The timeline: every change, who made it, when, old and new value."""
    user = request.auth
    events = TicketEvent.objects.filter(ticket=ticket_for(user, ticket_id))
    if not is_staff_member(user):
        events = events.filter(is_public=True)
    return [event_out(e) for e in events.select_related("actor")]
