"""The ticket's history as people read it: events, follow-ups, tasks and files in time order.

Events store ids (a team, a technician, a category...). They are turned into names in bulk, one
query per kind of object at most, whatever the length of the history.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from guichet.accounts import reference as people
from guichet.accounts.models import Location, User
from guichet.lib import refcache
from guichet.tickets import reference
from guichet.tickets.choices import (
    Channel,
    EventKind,
    Level,
    LinkKind,
    Priority,
    Status,
    TicketType,
    Visit,
)

FIELD_LABELS = {
    "title": gettext_lazy("Title"),
    "description": gettext_lazy("Description"),
    "type": gettext_lazy("Type"),
    "channel": gettext_lazy("Channel"),
    "category": gettext_lazy("Category"),
    "location": gettext_lazy("Location"),
    "impact": gettext_lazy("Impact"),
    "urgency": gettext_lazy("Urgency"),
    "priority": gettext_lazy("Priority"),
    "status": gettext_lazy("Status"),
    "team": gettext_lazy("Team"),
    "assignee": gettext_lazy("Technician"),
    "planned_for": gettext_lazy("Planned for"),
    "pending_reason": gettext_lazy("Waiting for"),
    "escalated": gettext_lazy("Escalated to the supervisor"),
    "satisfaction": gettext_lazy("Satisfaction"),
    "task_done": gettext_lazy("Task done"),
    "task_duration": gettext_lazy("Task time (minutes)"),
    "contract": gettext_lazy("Service contract"),
}
LINK_LABELS = {
    LinkKind.DUPLICATE: gettext_lazy("Duplicate of"),
    f"{LinkKind.DUPLICATE}_of": gettext_lazy("Has a duplicate"),
    LinkKind.RELATED: gettext_lazy("Related to"),
    f"{LinkKind.RELATED}_of": gettext_lazy("Related to"),
    LinkKind.PARENT: gettext_lazy("Parent of"),
    f"{LinkKind.PARENT}_of": gettext_lazy("Child of"),
}
CHOICE_FIELDS = {
    "status": Status,
    "type": TicketType,
    "channel": Channel,
    "impact": Level,
    "urgency": Level,
    "priority": Priority,
}
USER_FIELDS = ("assignee", "watchers")
# Kinds of timeline entries at the same instant, in the order a reader expects them.
ORDER = {"event": 0, "followup": 1, "task": 2, "attachment": 3}


@dataclass
class Entry:
    """One line of the timeline."""

    kind: str  # "event", "followup", "task" or "attachment"
    at: datetime
    actor: Any
    internal: bool = False
    obj: Any = None
    title: str = ""
    old: str = ""
    new: str = ""
    note: str = ""
    ticket_ref: int | None = None  # a ticket this entry points to (links, merges)
    markdown: str = ""  # a text to render as Markdown (a proposed solution)
    change: bool = False  # show "old → new" rather than just the new value
    form: Any = None  # the inline form of a task (done, time spent)

    @property
    def anchor(self) -> str:
        return f"{self.kind}-{self.obj.pk}" if self.obj is not None else ""


def _reference_names() -> dict[str, dict]:
    return {
        "teams": {str(pk): name for pk, name in people.team_names().items()},
        "users": {str(pk): name for pk, name in people.staff_names().items()},
        "categories": {str(c.pk): c for c in reference.categories()},
        "reasons": {str(r.pk): r.name for r in reference.pending_reasons()},
        "solution_types": {s.code: s.name for s in reference.solution_types()},
    }


class Names:
    """Turns the ids stored in events into names, in bulk.

    The reference data's names are built once per process, revision and language; the
    people and places only some tickets mention are read per page (`load`).
    """

    def __init__(self):
        known = refcache.cached(("tickets.names", get_language()), _reference_names)
        self.teams = known["teams"]
        self.users = dict(known["users"])  # load() adds to it
        self.categories = known["categories"]
        self.reasons = known["reasons"]
        self.solution_types = known["solution_types"]
        self.locations: dict[str, str] = {}

    def load(self, events) -> None:
        """Read the people and places the events mention and the page does not know yet."""
        user_ids = {
            value
            for e in events
            if e.field in USER_FIELDS
            for value in (e.old_value, e.new_value)
            if value.isdigit() and value not in self.users
        }
        if user_ids:
            # The ids come from the history of a ticket the viewer may see; people who left
            # (inactive) must still be named there.
            for user in User.objects.filter(pk__in=user_ids).only(
                "first_name", "last_name", "username"
            ):
                self.users[str(user.pk)] = user.display_name
        location_ids = {
            value
            for e in events
            if e.field == "location"
            for value in (e.old_value, e.new_value)
            if value.isdigit()
        }
        if location_ids:
            for loc in Location.objects.filter(pk__in=location_ids).only("name"):
                self.locations[str(loc.pk)] = loc.name

    def value(self, field_name: str, raw: str) -> str:
        if raw == "":
            return ""
        if field_name == "team":
            return self.teams.get(raw, _("team #%(id)s") % {"id": raw})
        if field_name in USER_FIELDS:
            return self.users.get(raw, _("user #%(id)s") % {"id": raw})
        if field_name == "category":
            category = self.categories.get(raw)
            if category is None:
                return _("category #%(id)s") % {"id": raw}
            parent = self.categories.get(str(category.parent_id))
            return f"{parent.name} › {category.name}" if parent else category.name
        if field_name == "location":
            return self.locations.get(raw, _("location #%(id)s") % {"id": raw})
        if field_name == "pending_reason":
            return self.reasons.get(raw, raw)
        if field_name in CHOICE_FIELDS:
            choices = CHOICE_FIELDS[field_name]
            try:
                return str(choices(int(raw) if raw.isdigit() else raw).label)
            except ValueError:
                return raw
        if field_name in ("escalated", "task_done"):
            return _("yes") if raw == "True" else _("no")
        if field_name == "planned_for":
            moment = parse_datetime(raw)
            if moment is None:
                return raw
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if field_name == "satisfaction":
            return f"{raw}/5"
        if field_name == "contract" and raw.isdigit():
            from guichet.sla.contracts import contract_name

            return contract_name(int(raw))
        return raw


def describe(event, names: Names) -> Entry:
    entry = Entry(
        kind="event",
        at=event.created_at,
        actor=event.actor,
        internal=not event.is_public,
        obj=event,
        note=event.note,
    )
    kind = event.kind
    if kind == EventKind.CREATED:
        entry.title = _("Ticket opened")
    elif kind == EventKind.LINKED:
        entry.title = str(LINK_LABELS.get(event.field, _("Linked to")))
        entry.ticket_ref = _int(event.new_value)
    elif kind == EventKind.MERGED:
        if event.field == "merged_into":
            entry.title = _("Merged into another ticket")
        else:
            entry.title = _("A ticket was merged into this one")
        entry.ticket_ref = _int(event.new_value)
    elif kind == EventKind.SOLVED:
        entry.title = _("Solution proposed")
        entry.markdown = event.new_value
        entry.new = names.solution_types.get(event.note, "")
        entry.note = ""
    elif kind == EventKind.FOLLOWUP:
        entry.title = _("Follow-up added (since moved to another ticket)")
    elif kind == EventKind.ATTACHMENT:
        entry.title = _("File added")
        entry.new = event.new_value
    elif kind == EventKind.WATCHER:
        entry.title = _("Watcher added") if event.new_value else _("Watcher removed")
        entry.new = names.value("watchers", event.new_value or event.old_value)
    elif kind in (EventKind.ACCEPTED, EventKind.REFUSED, EventKind.REOPENED, EventKind.CLOSED):
        entry.title = str(EventKind(kind).label)
    elif kind == EventKind.TASK and event.field == "task":
        entry.title = _("Task added")
    elif kind == EventKind.ESCALATED_UP:
        entry.title = str(EventKind(kind).label)
    elif kind == EventKind.VISIT:
        entry.title = str(Visit(event.new_value).label) if event.new_value in Visit.values else ""
    elif kind == EventKind.SLA:
        entry.title = _("Service level escalation")
    elif kind in (EventKind.SCRIPT, EventKind.ARTICLE, EventKind.PROBLEM):
        # Written by the scripts, knowledge and problems rooms: the note says what happened.
        entry.title = str(EventKind(kind).label)
    elif kind == EventKind.PENDING:
        entry.title = _("Put on hold")
        entry.new = names.value("pending_reason", event.new_value)
    elif event.field == "description":
        entry.title = _("Description edited")  # both texts are too long to show inline
    else:
        if kind == EventKind.ESCALATED:
            entry.title = str(EventKind(kind).label)
        else:
            label = FIELD_LABELS.get(event.field)
            entry.title = str(label) if label else str(EventKind(kind).label)
        entry.change = True
        entry.old = names.value(event.field, event.old_value)
        entry.new = names.value(event.field, event.new_value)
    return entry


def _int(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def build_timeline(*, events, followups, tasks, attachments, names: Names) -> list[Entry]:
    """Merge the four histories in time order.

    Follow-ups, tasks and files are shown with their content, so the events that merely
    announce them are left out (unless the item has moved to another ticket since).
    """
    names.load(events)
    followup_ids = {str(f.pk) for f in followups}
    task_ids = {str(t.pk) for t in tasks}
    filenames = {a.filename for a in attachments}
    entries = []
    for event in events:
        if event.kind == EventKind.FOLLOWUP and event.new_value in followup_ids:
            continue
        if event.kind == EventKind.TASK and event.field == "task" and event.new_value in task_ids:
            continue
        if event.kind == EventKind.ATTACHMENT and event.new_value in filenames:
            continue
        entries.append(describe(event, names))
    for f in followups:
        entries.append(
            Entry(kind="followup", at=f.created_at, actor=f.author, internal=f.is_internal, obj=f)
        )
    for t in tasks:
        entries.append(Entry(kind="task", at=t.created_at, actor=t.author, internal=True, obj=t))
    for a in attachments:
        entries.append(
            Entry(
                kind="attachment",
                at=a.created_at,
                actor=a.uploaded_by,
                internal=a.is_internal,
                obj=a,
            )
        )
    entries.sort(key=lambda e: (e.at, ORDER[e.kind], e.obj.pk))
    return entries
