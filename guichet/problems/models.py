"""Problems: the cause behind recurring incidents, found once (ITIL problem management)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.problems.choices import ProblemEventKind, ProblemStatus
from guichet.tickets.choices import Level, Priority


class Problem(models.Model):
    """A problem: impact, root cause analysis, workaround, permanent fix, and its incidents."""

    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProblemStatus.choices, default=ProblemStatus.NEW
    )
    impact = models.PositiveSmallIntegerField(_("impact"), choices=Level.choices, default=3)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Level.choices, default=3)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=3)
    impact_analysis = models.TextField(_("impact analysis"), blank=True)
    root_cause = models.TextField(_("root cause"), blank=True)
    workaround = models.TextField(_("workaround"), blank=True)
    permanent_fix = models.TextField(_("permanent fix"), blank=True)
    category = models.ForeignKey(
        "tickets.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("problem manager"),
    )
    known_error = models.ForeignKey(
        "knowledge.Article",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="problems",
        verbose_name=_("known error"),
    )
    incidents = models.ManyToManyField(
        "tickets.Ticket", through="ProblemTicket", related_name="problems"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    solved_at = models.DateTimeField(_("solved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("problem")
        verbose_name_plural = _("problems")
        indexes = [
            models.Index(fields=["status", "-id"], name="problem_status_idx"),
            models.Index(fields=["category"], name="problem_category_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"PB-{self.pk}"


class ProblemTicket(models.Model):
    """An incident linked to a problem."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="ticket_links")
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="problem_links"
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["problem", "ticket"], name="problem_ticket_unique")
        ]
        indexes = [models.Index(fields=["ticket"], name="problem_ticket_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.problem_id} → #{self.ticket_id}"


class ProblemEvent(models.Model):
    """One change to a problem (who, when, field, old → new)."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ProblemEventKind.choices)
    field = models.CharField(max_length=50, blank=True)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["problem", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.problem_id} {self.kind}"
