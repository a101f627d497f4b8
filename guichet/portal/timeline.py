"""The requester's view of a ticket's history.

Only what is meant for the requester: public follow-ups, public files, and a short list of
event kinds spelled out in plain words. Internal notes, internal files and staff-only events
(hierarchical escalation, tasks, assignments, field edits) never reach this page: event kinds
are allow-listed rather than deny-listed, so a kind added later stays hidden until someone
decides the requester should see it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from guichet.lib.markdown import render_markdown
from guichet.mail.display import folded_html
from guichet.portal.wording import status_words
from guichet.tickets.choices import EventKind, Status
from guichet.tickets.models import Attachment, FollowUp, Ticket, TicketEvent

PUBLIC_EVENT_KINDS = (
    EventKind.CREATED,
    EventKind.STATUS,
    EventKind.SOLVED,
    EventKind.ACCEPTED,
    EventKind.REFUSED,
    EventKind.SATISFACTION,
    EventKind.MERGED,
)


@dataclass
class Entry:
    at: datetime
    kind: str  # "message", "file" or "event"
    who: str
    text: str = ""
    html: str = ""
    attachment: Attachment | None = None
    mine: bool = False


def _who(user, viewer) -> str:
    if user is None:
        return _("Automatic")
    if user.pk == viewer.pk:
        return _("You")
    return user.display_name


def _event_text(event: TicketEvent) -> str | None:
    kind = event.kind
    if kind == EventKind.CREATED:
        return _("Request opened")
    if kind == EventKind.STATUS:
        # "Solved" is told by the solution entry that follows it.
        if event.new_value == Status.SOLVED:
            return None
        return _("Status: %(status)s") % {"status": status_words(event.new_value)}
    if kind == EventKind.SOLVED:
        return _("A solution was proposed")
    if kind == EventKind.ACCEPTED:
        return _("Solution accepted")
    if kind == EventKind.REFUSED:
        return _("Solution refused: the request is reopened")
    if kind == EventKind.SATISFACTION:
        return _("Rated %(score)s out of 5") % {"score": event.new_value}
    if kind == EventKind.MERGED and event.field == "merged_into":
        return _("Merged into request #%(id)s") % {"id": event.new_value}
    if kind == EventKind.MERGED:
        return _("The messages of request #%(id)s were moved here") % {"id": event.new_value}
    return None


def public_timeline(ticket: Ticket, viewer) -> list[Entry]:
    """Everything the requester may read about `ticket`, oldest first (three queries)."""
    entries: list[tuple[datetime, int, int, Entry]] = []
    events = TicketEvent.objects.filter(
        ticket=ticket, is_public=True, kind__in=PUBLIC_EVENT_KINDS
    ).select_related("actor")
    for event in events:
        text = _event_text(event)
        if text is None:
            continue
        entry = Entry(at=event.created_at, kind="event", who=_who(event.actor, viewer), text=text)
        if event.kind == EventKind.SOLVED:
            entry.html = render_markdown(event.new_value)
        if event.kind == EventKind.SATISFACTION and event.note:
            entry.html = render_markdown(event.note)
        entries.append((event.created_at, 0, event.pk, entry))
    followups = FollowUp.objects.filter(ticket=ticket, is_internal=False).select_related("author")
    for followup in followups:
        entry = Entry(
            at=followup.created_at,
            kind="message",
            who=_who(followup.author, viewer),
            html=folded_html(followup.body),
            mine=followup.author_id == viewer.pk,
        )
        entries.append((followup.created_at, 1, followup.pk, entry))
    files = Attachment.objects.filter(ticket=ticket, is_internal=False).select_related(
        "uploaded_by"
    )
    for attachment in files:
        entry = Entry(
            at=attachment.created_at,
            kind="file",
            who=_who(attachment.uploaded_by, viewer),
            attachment=attachment,
            mine=attachment.uploaded_by_id == viewer.pk,
        )
        entries.append((attachment.created_at, 2, attachment.pk, entry))
    entries.sort(key=lambda row: row[:3])
    return [row[3] for row in entries]
