"""Ticket verbs around the conversation: follow-ups, tasks, files, watchers, links, merge."""

import mimetypes
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from guichet.accounts.access import is_staff_member, visible_users
from guichet.accounts.models import User
from guichet.lib.errors import Conflict, Forbidden, InvalidInput
from guichet.notifications.actions import notify
from guichet.tickets.choices import EventKind, LinkKind, Status
from guichet.tickets.models import (
    Attachment,
    FollowUp,
    Ticket,
    TicketEvent,
    TicketLink,
    TicketTask,
)

from .common import change_status, lock, now_or, record, require_staff, save, working_status
from .lifecycle import TEXT_MAX, _check_text

# What may be attached: documents, images, archives, logs, mail. Executables and HTML are not.
ALLOWED_TYPES = {
    "application/pdf": b"%PDF",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
    "image/gif": b"GIF8",
    "image/webp": b"RIFF",
    "application/zip": b"PK",
    "text/plain": None,
    "text/csv": None,
    "text/calendar": None,
    "message/rfc822": None,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": b"PK",
    "application/vnd.oasis.opendocument.text": b"PK",
    "application/vnd.oasis.opendocument.spreadsheet": b"PK",
    "application/msword": None,
    "application/vnd.ms-excel": None,
}
EXTRA_EXTENSIONS = {".log": "text/plain", ".eml": "message/rfc822", ".txt": "text/plain"}


def _visible_by_requester(ticket: Ticket, actor: User) -> None:
    if not is_staff_member(actor) and ticket.status == Status.CLOSED:
        raise Conflict(_("This ticket is closed."))


@transaction.atomic
def add_followup(
    *, ticket: Ticket, actor: User, body: str, internal: bool = False, at: datetime | None = None
) -> FollowUp:
    """Write on the ticket. A requester's reply wakes a ticket that waited on them."""
    at = now_or(at)
    errors: dict = {}
    body = _check_text(errors, "body", body, required=True, limit=TEXT_MAX)
    if errors:
        raise InvalidInput(errors)
    staff = is_staff_member(actor)
    ticket = lock(ticket)
    if internal and not staff:
        raise Forbidden(_("Only the support staff can write internal notes."))
    if ticket.merged_into_id:
        raise Conflict(_("This ticket was merged into #%(id)s.") % {"id": ticket.merged_into_id})
    _visible_by_requester(ticket, actor)
    followup = FollowUp.objects.create(
        ticket=ticket, author=actor, body=body, is_internal=internal, created_at=at
    )
    record(ticket, actor, EventKind.FOLLOWUP, at=at, new=followup.pk, public=not internal)
    fields: list[str] = []
    if not staff and ticket.status == Status.PENDING:
        change_status(
            ticket, actor, working_status(ticket), at=at, note=_("The requester answered.")
        )
        ticket.pending_reason = None
        ticket.pending_until = None
        fields += ["status", "pending_reason", "pending_until"]
    save(ticket, fields, at=at)
    if not staff and ticket.assignee_id:
        notify(
            users=[ticket.assignee],
            kind="followup",
            ticket=ticket,
            message=_("New reply on ticket #%(id)s.") % {"id": ticket.pk},
        )
    return followup


@transaction.atomic
def add_task(
    *,
    ticket: Ticket,
    actor: User,
    description: str,
    duration_minutes: int = 0,
    done: bool = False,
    at: datetime | None = None,
) -> TicketTask:
    require_staff(actor)
    at = now_or(at)
    errors: dict = {}
    description = _check_text(errors, "description", description, required=True, limit=TEXT_MAX)
    if not isinstance(duration_minutes, int) or not 0 <= duration_minutes <= 100_000:
        errors["duration_minutes"] = _("Must be a number of minutes from 0 to 100000.")
    if errors:
        raise InvalidInput(errors)
    task = TicketTask.objects.create(
        ticket=ticket,
        author=actor,
        description=description,
        duration_minutes=duration_minutes,
        done=done,
        created_at=at,
    )
    record(
        ticket,
        actor,
        EventKind.TASK,
        at=at,
        field="task",
        new=task.pk,
        note=description[:200],
        public=False,
    )
    save(ticket, [], at=at)
    return task


@transaction.atomic
def set_task_done(
    *,
    task: TicketTask,
    actor: User,
    done: bool,
    duration_minutes: int | None = None,
    at: datetime | None = None,
) -> TicketTask:
    require_staff(actor)
    at = now_or(at)
    if duration_minutes is not None and not 0 <= duration_minutes <= 100_000:
        raise InvalidInput({"duration_minutes": _("Must be a number of minutes from 0 to 100000.")})
    fields = []
    if task.done != done:
        record(
            task.ticket,
            actor,
            EventKind.TASK,
            at=at,
            field="task_done",
            old=task.done,
            new=done,
            note=task.description[:200],
            public=False,
        )
        task.done = done
        fields.append("done")
    if duration_minutes is not None and duration_minutes != task.duration_minutes:
        record(
            task.ticket,
            actor,
            EventKind.TASK,
            at=at,
            field="task_duration",
            old=task.duration_minutes,
            new=duration_minutes,
            public=False,
        )
        task.duration_minutes = duration_minutes
        fields.append("duration_minutes")
    if fields:
        task.save(update_fields=fields)
        save(task.ticket, [], at=at)
    return task


def _sniff_type(filename: str, head: bytes) -> str | None:
    ext = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    guessed = EXTRA_EXTENSIONS.get(ext) or mimetypes.guess_type(filename)[0]
    if guessed not in ALLOWED_TYPES:
        return None
    magic = ALLOWED_TYPES[guessed]
    if magic is not None and not head.startswith(magic):
        return None
    if magic is None and guessed.startswith("text/") and b"\x00" in head:
        return None
    return guessed


@transaction.atomic
def add_attachment(
    *, ticket: Ticket, actor: User, upload, internal: bool = False, at: datetime | None = None
) -> Attachment:
    """Keep a file on the ticket after checking its size and that its content matches its name."""
    at = now_or(at)
    if internal and not is_staff_member(actor):
        raise Forbidden(_("Only the support staff can add internal files."))
    _visible_by_requester(ticket, actor)
    filename = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
    if not filename or filename.startswith("."):
        raise InvalidInput({"file": _("The file needs a name.")})
    if upload.size > settings.ATTACHMENT_MAX_BYTES:
        raise InvalidInput(
            {
                "file": _("The file is larger than %(mb).1f MB.")
                % {"mb": settings.ATTACHMENT_MAX_BYTES / 1024 / 1024}
            }
        )
    if upload.size == 0:
        raise InvalidInput({"file": _("The file is empty.")})
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    content_type = _sniff_type(filename, head)
    if content_type is None:
        raise InvalidInput({"file": _("This kind of file is not accepted.")})
    attachment = Attachment(
        ticket=ticket,
        filename=filename,
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
        is_internal=internal,
        created_at=at,
    )
    attachment.file.save(filename, upload, save=False)
    try:
        attachment.save()
        record(ticket, actor, EventKind.ATTACHMENT, at=at, new=filename, public=not internal)
        save(ticket, [], at=at)
    except Exception:
        # No row, no file: a failed save must not leave an orphan in storage.
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def add_watcher(*, ticket: Ticket, actor: User, user: User, at: datetime | None = None) -> None:
    at = now_or(at)
    if user.pk != actor.pk:
        require_staff(actor)
    if not visible_users(actor).filter(pk=user.pk).exists():
        raise InvalidInput({"user": _("Unknown user.")})
    if ticket.watchers.filter(pk=user.pk).exists():
        return
    ticket.watchers.add(user)
    record(ticket, actor, EventKind.WATCHER, at=at, field="watchers", new=user.pk)


@transaction.atomic
def remove_watcher(*, ticket: Ticket, actor: User, user: User, at: datetime | None = None) -> None:
    at = now_or(at)
    if user.pk != actor.pk:
        require_staff(actor)
    if not ticket.watchers.filter(pk=user.pk).exists():
        return
    ticket.watchers.remove(user)
    record(ticket, actor, EventKind.WATCHER, at=at, field="watchers", old=user.pk)


@transaction.atomic
def link_tickets(
    *, source: Ticket, target: Ticket, kind: str, actor: User, at: datetime | None = None
) -> TicketLink:
    require_staff(actor)
    at = now_or(at)
    if kind not in LinkKind.values:
        raise InvalidInput(
            {"kind": _("Must be one of: %(values)s.") % {"values": ", ".join(LinkKind.values)}}
        )
    if source.pk == target.pk:
        raise InvalidInput({"target": _("A ticket cannot be linked to itself.")})
    link, created = TicketLink.objects.get_or_create(source=source, target=target, kind=kind)
    if not created:
        raise Conflict(_("These tickets are already linked this way."))
    record(source, actor, EventKind.LINKED, at=at, field=kind, new=target.pk)
    record(target, actor, EventKind.LINKED, at=at, field=f"{kind}_of", new=source.pk)
    return link


@transaction.atomic
def merge(*, source: Ticket, target: Ticket, actor: User, at: datetime | None = None) -> Ticket:
    """Merge `source` into `target`: its conversation moves over and it closes, pointing there."""
    require_staff(actor)
    at = now_or(at)
    if source.pk == target.pk:
        raise InvalidInput({"target": _("A ticket cannot be merged into itself.")})
    source, target = lock(source), lock(target)
    if source.merged_into_id or target.merged_into_id:
        raise Conflict(_("A merged ticket cannot be merged again."))
    if target.status == Status.CLOSED:
        raise Conflict(_("Cannot merge into a closed ticket."))
    moved = FollowUp.objects.filter(ticket=source).update(ticket=target)
    TicketTask.objects.filter(ticket=source).update(ticket=target)
    Attachment.objects.filter(ticket=source).update(ticket=target)
    target.watchers.add(*source.watchers.all(), source.requester)
    TicketLink.objects.get_or_create(source=source, target=target, kind=LinkKind.DUPLICATE)
    record(
        target,
        actor,
        EventKind.MERGED,
        at=at,
        field="merged_from",
        new=source.pk,
        note=_("%(n)d follow-ups moved from #%(id)s.") % {"n": moved, "id": source.pk},
    )
    record(source, actor, EventKind.MERGED, at=at, field="merged_into", new=target.pk)
    old_status = source.status
    source.status = Status.CLOSED
    source.closed_at = at
    source.merged_into = target
    TicketEvent.objects.create(
        ticket=source,
        actor=actor,
        kind=EventKind.STATUS,
        field="status",
        old_value=old_status,
        new_value=Status.CLOSED,
        created_at=at,
    )
    save(source, ["status", "closed_at", "merged_into"], at=at)
    save(target, [], at=at)
    return target


@transaction.atomic
def rate_satisfaction(
    *, ticket: Ticket, actor: User, score: int, comment: str = "", at: datetime | None = None
) -> Ticket:
    """The requester rates the service (1–5) once the ticket is solved or closed."""
    at = now_or(at)
    if actor.pk != ticket.requester_id:
        raise Forbidden(_("Only the requester can rate this ticket."))
    errors: dict = {}
    if not isinstance(score, int) or not 1 <= score <= 5:
        errors["score"] = _("Must be an integer from 1 to 5.")
    comment = _check_text(errors, "comment", comment, required=False, limit=5000)
    if errors:
        raise InvalidInput(errors)
    ticket = lock(ticket)
    if ticket.status not in (Status.SOLVED, Status.CLOSED):
        raise Conflict(_("A ticket can be rated once it is solved."))
    record(
        ticket,
        actor,
        EventKind.SATISFACTION,
        at=at,
        field="satisfaction",
        old=ticket.satisfaction or "",
        new=score,
        note=comment,
    )
    ticket.satisfaction = score
    ticket.satisfaction_comment = comment
    save(ticket, ["satisfaction", "satisfaction_comment"], at=at)
    return ticket
