"""Ticket vocabularies and the status transition map."""

from datetime import UTC, datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketType(models.TextChoices):
    INCIDENT = "incident", _("Incident")
    REQUEST = "request", _("Service request")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Portal")
    COUNTER = "counter", _("Counter")
    ONSITE = "onsite", _("On site")
    MONITORING = "monitoring", _("Monitoring")
    API = "api", _("API")


class Status(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    PLANNED = "planned", _("Planned")
    PENDING = "pending", _("Pending")
    SOLVED = "solved", _("Solved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (Status.NEW, Status.ASSIGNED, Status.PLANNED, Status.PENDING)

# The explicit map of allowed status changes. Anything else is refused with a reason.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.NEW: frozenset({Status.ASSIGNED, Status.PLANNED, Status.PENDING, Status.SOLVED}),
    Status.ASSIGNED: frozenset({Status.NEW, Status.PLANNED, Status.PENDING, Status.SOLVED}),
    Status.PLANNED: frozenset({Status.NEW, Status.ASSIGNED, Status.PENDING, Status.SOLVED}),
    Status.PENDING: frozenset({Status.NEW, Status.ASSIGNED, Status.PLANNED, Status.SOLVED}),
    Status.SOLVED: frozenset({Status.CLOSED, Status.NEW, Status.ASSIGNED}),
    Status.CLOSED: frozenset({Status.NEW, Status.ASSIGNED}),
}


class Level(models.IntegerChoices):
    VERY_LOW = 1, _("Very low")
    LOW = 2, _("Low")
    MEDIUM = 3, _("Medium")
    HIGH = 4, _("High")
    VERY_HIGH = 5, _("Very high")


class Priority(models.IntegerChoices):
    VERY_LOW = 1, _("Very low")
    LOW = 2, _("Low")
    MEDIUM = 3, _("Medium")
    HIGH = 4, _("High")
    VERY_HIGH = 5, _("Very high")
    MAJOR = 6, _("Major")


class LinkKind(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate of")
    RELATED = "related", _("Related to")
    PARENT = "parent", _("Parent of")


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Field changed")
    STATUS = "status", _("Status changed")
    ASSIGNED = "assigned", _("Assigned")
    ESCALATED = "escalated", _("Functional escalation")
    ESCALATED_UP = "escalated_up", _("Hierarchical escalation")
    FOLLOWUP = "followup", _("Follow-up")
    TASK = "task", _("Task")
    SOLVED = "solved", _("Solution proposed")
    ACCEPTED = "accepted", _("Solution accepted")
    REFUSED = "refused", _("Solution refused")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")
    MERGED = "merged", _("Merged")
    LINKED = "linked", _("Linked")
    WATCHER = "watcher", _("Watcher")
    ATTACHMENT = "attachment", _("Attachment")
    SATISFACTION = "satisfaction", _("Satisfaction")
    PENDING = "pending", _("Pending")
    VISIT = "visit", _("On-site visit")
    SLA = "sla", _("Service level")
    SCRIPT = "script", _("Questioning script")
    ARTICLE = "article", _("Knowledge article")
    PROBLEM = "problem", _("Problem")


class Visit(models.TextChoices):
    REQUIRED = "required", _("An on-site visit is required")
    ARRIVED = "arrived", _("The technician arrived on site")


# Ticket.due_at of a ticket with no running clock: a real value, so that "due next" pages by
# keyset like every other sort and such tickets come last.
NO_DUE_DATE = datetime(9999, 12, 31, tzinfo=UTC)
