"""The ticket and everything that hangs off it: events, follow-ups, tasks, links, files."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guichet.accounts.models import Location, Organisation, Team
from guichet.tickets.choices import (
    NO_DUE_DATE,
    OPEN_STATUSES,
    Channel,
    EventKind,
    Level,
    LinkKind,
    Priority,
    Status,
    TicketType,
)


class BilingualName(models.Model):
    """A reference-list entry named in French and English."""

    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "fr").startswith("en"):
            return self.name_en or self.name_fr
        return self.name_fr or self.name_en


class Category(BilingualName):
    """A node of the ITIL category tree (e.g. Hardware > Printer)."""

    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    code = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent else self.name


class PendingReason(BilingualName):
    """Why a ticket waits (on the customer, a supplier, a part, a planned date)."""

    code = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("pending reason")
        verbose_name_plural = _("pending reasons")


class SolutionType(BilingualName):
    """How a ticket was solved (fixed, workaround, user training, replaced hardware...)."""

    code = models.SlugField(max_length=50, unique=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("solution type")
        verbose_name_plural = _("solution types")


class PriorityRule(models.Model):
    """One cell of the impact × urgency matrix, editable by administrators."""

    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=[c for c in Priority.choices if c[0] != Priority.MAJOR]
    )

    class Meta:
        ordering = ["urgency", "impact"]
        constraints = [
            models.UniqueConstraint(fields=["urgency", "impact"], name="priority_rule_unique")
        ]
        verbose_name = _("priority rule")
        verbose_name_plural = _("priority matrix")

    def __str__(self) -> str:
        return f"U{self.urgency} × I{self.impact} → P{self.priority}"


class TicketQuerySet(models.QuerySet):
    def visible_to(self, user):
        from guichet.accounts.access import visible_tickets

        return visible_tickets(user, self)

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def unassigned(self):
        return self.open().filter(assignee__isnull=True)

    def with_people(self):
        return self.select_related("requester", "organisation", "team", "assignee", "category")


class Ticket(models.Model):
    """An incident or a service request, from intake to closure."""

    type = models.CharField(
        _("type"), max_length=20, choices=TicketType.choices, default=TicketType.INCIDENT
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.PORTAL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.NEW
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=3)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices, default=3)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=3)
    major_reason = models.TextField(_("reason for major priority"), blank=True)
    # db_index=False on the relations that lead a composite index of Meta.indexes: a
    # single-column index beside it only slows every write down, and made SQLite's planner
    # walk a technician's whole history for "my open tickets".
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        on_delete=models.PROTECT,
        related_name="requested_tickets",
        db_index=False,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="tickets",
        db_index=False,
    )
    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.SET_NULL, null=True, blank=True
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        db_index=False,
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tickets",
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        db_index=False,
    )
    escalated = models.BooleanField(_("escalated to the supervisor"), default=False)
    pending_reason = models.ForeignKey(
        PendingReason,
        verbose_name=_("pending reason"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    pending_until = models.DateTimeField(_("pending until"), null=True, blank=True)
    planned_for = models.DateTimeField(_("planned for"), null=True, blank=True)
    solution = models.TextField(_("solution"), blank=True)
    solution_type = models.ForeignKey(
        SolutionType,
        verbose_name=_("solution type"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("reopenings"), default=0)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_tickets",
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    satisfaction_comment = models.TextField(_("satisfaction comment"), blank=True)
    watchers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="watched_tickets", blank=True
    )
    # The earliest due date of the ticket's running service clocks, kept by the sla room's
    # actions so that queues sort by "due next" on an index.
    due_at = models.DateTimeField(_("due"), default=NO_DUE_DATE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"))

    objects = TicketQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        # Queues filter on these columns and page by id (keyset): each index ends with id.
        indexes = [
            models.Index(fields=["organisation", "status", "id"], name="ticket_org_status_idx"),
            models.Index(fields=["organisation", "id"], name="ticket_org_idx"),
            models.Index(fields=["assignee", "status", "id"], name="ticket_assignee_idx"),
            models.Index(fields=["team", "status", "id"], name="ticket_team_idx"),
            models.Index(fields=["requester", "id"], name="ticket_requester_idx"),
            models.Index(fields=["status", "id"], name="ticket_status_idx"),
            models.Index(fields=["priority", "id"], name="ticket_priority_idx"),
            models.Index(fields=["category", "id"], name="ticket_category_idx"),
            models.Index(fields=["status", "pending_until"], name="ticket_pending_until_idx"),
            models.Index(fields=["status", "solved_at"], name="ticket_solved_at_idx"),
            models.Index(fields=["due_at", "id"], name="ticket_due_idx"),
            # Service reports: satisfaction of the tickets closed in a period, per client.
            models.Index(
                fields=["closed_at", "satisfaction", "organisation"], name="ticket_closed_idx"
            ),
            models.Index(fields=["assignee", "due_at", "id"], name="ticket_assignee_due_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def reference(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TicketEvent(models.Model):
    """One change to a ticket: who, when, what, old value → new value."""

    # Led by event_ticket_idx (ticket, created_at), which serves every read by ticket.
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="events", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    field = models.CharField(max_length=50, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    note = models.TextField(blank=True)
    is_public = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_idx")]
        verbose_name = _("ticket event")
        verbose_name_plural = _("ticket events")

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.field}"


class FollowUp(models.Model):
    """A message on a ticket: public (the requester reads it) or internal (staff only)."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="followups")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    is_internal = models.BooleanField(_("internal"), default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="followup_ticket_idx")]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.body[:40]}"


class TicketTask(models.Model):
    """A piece of work on a ticket, with the time it took."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="tasks")
    description = models.TextField(_("description"))
    duration_minutes = models.PositiveIntegerField(_("time spent (minutes)"), default=0)
    done = models.BooleanField(_("done"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.description[:60]


class TicketLink(models.Model):
    """A relation between two tickets: duplicate of, related to, parent of."""

    source = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="link_unique"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="link_not_self"
            ),
        ]
        verbose_name = _("ticket link")
        verbose_name_plural = _("ticket links")

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.ticket_id}/{filename}"


class Attachment(models.Model):
    """A file on a ticket, stored through Django's storage API."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    followup = models.ForeignKey(
        FollowUp, on_delete=models.SET_NULL, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    is_internal = models.BooleanField(default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class SavedView(models.Model):
    """A named queue filter a user keeps (the query string of the queue page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filters"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_unique_name")
        ]
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")

    def __str__(self) -> str:
        return self.name
