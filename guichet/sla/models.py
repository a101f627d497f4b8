"""Service contracts, their targets, and the business calendars their times are counted in."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from guichet.sla.choices import ClockKind, EscalationAction, ReopenRule, TargetKind, Weekday

MINUTES_A_DAY = 24 * 60


class Calendar(models.Model):
    """Business hours a contract counts its times in. What the hours are lives in versions:
    changing a calendar adds a version from then on, so time already counted keeps the hours
    it was counted in."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("calendar")
        verbose_name_plural = _("calendars")

    def __str__(self) -> str:
        return self.name


class CalendarVersion(models.Model):
    """A calendar's hours from `valid_from` until the next version: weekly ranges in a time
    zone, less public holidays and extra closed days; or around the clock."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateTimeField(_("valid from"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Europe/Paris")
    always_open = models.BooleanField(_("open 24/7"), default=False)
    # Public holidays from the `holidays` package; an empty country means none.
    holiday_country = models.CharField(_("public holidays of"), max_length=3, blank=True)
    holiday_subdivision = models.CharField(
        _("region"),
        max_length=10,
        blank=True,
        help_text=_("For instance 57 (Moselle) or 6AE (Alsace) in France."),
    )

    class Meta:
        ordering = ["calendar", "valid_from", "id"]
        verbose_name = _("calendar version")
        verbose_name_plural = _("calendar versions")
        indexes = [models.Index(fields=["calendar", "valid_from"], name="calendar_version_idx")]

    def __str__(self) -> str:
        return f"{self.calendar} ({self.valid_from:%Y-%m-%d %H:%M})"


class BusinessRange(models.Model):
    """One opening range of a weekday, in minutes from local midnight (24:00 is 1440)."""

    version = models.ForeignKey(CalendarVersion, on_delete=models.CASCADE, related_name="ranges")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_minute = models.PositiveSmallIntegerField(
        _("opens at"), validators=[MaxValueValidator(MINUTES_A_DAY)]
    )
    end_minute = models.PositiveSmallIntegerField(
        _("closes at"), validators=[MaxValueValidator(MINUTES_A_DAY)]
    )

    class Meta:
        ordering = ["version", "weekday", "start_minute"]
        verbose_name = _("business hours")
        verbose_name_plural = _("business hours")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_minute__lt=models.F("end_minute"))
                & models.Q(end_minute__lte=MINUTES_A_DAY),
                name="business_range_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_minute}–{self.end_minute}"


class ClosureDay(models.Model):
    """A day the calendar is closed besides public holidays (a bridge day, a move)."""

    version = models.ForeignKey(CalendarVersion, on_delete=models.CASCADE, related_name="closures")
    day = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=100, blank=True)

    class Meta:
        ordering = ["version", "day"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        constraints = [
            models.UniqueConstraint(fields=["version", "day"], name="closure_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.day}"


class Contract(models.Model):
    """What a client is promised: targets per priority, counted in a calendar's hours.

    A ticket takes the contract of its organisation in force on the day it is opened, else the
    default contract (exactly one).
    """

    name = models.CharField(_("name"), max_length=150, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("client"),
        on_delete=models.PROTECT,
        related_name="contracts",
        null=True,
        blank=True,
    )
    is_default = models.BooleanField(_("default contract"), default=False)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT, related_name="contracts"
    )
    reopen_rule = models.CharField(
        _("on reopening"), max_length=10, choices=ReopenRule.choices, default=ReopenRule.CONTINUE
    )
    pausing_reasons = models.ManyToManyField(
        "tickets.PendingReason",
        verbose_name=_("pending reasons that stop the clocks"),
        related_name="+",
        blank=True,
    )
    # Used by quotes: an on-site job costing more than the flat fee or the threshold needs a
    # signed quote first.
    flat_fee = models.DecimalField(
        _("flat fee of on-site work"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cost_threshold = models.DecimalField(
        _("cost threshold"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service contract")
        verbose_name_plural = _("service contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="one_default"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "starts_on"], name="contract_org_idx")]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """One promise of a contract: a time, in business minutes, for a kind and a priority."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("target"), max_length=20, choices=TargetKind.choices)
    priority = models.PositiveSmallIntegerField(
        _("priority"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    minutes = models.PositiveIntegerField(_("business minutes"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["contract", "kind", "-priority"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "priority"], name="target_unique_kind_priority"
            ),
            models.CheckConstraint(condition=models.Q(minutes__gte=1), name="target_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.kind} P{self.priority}: {self.minutes} min"


class TeamTarget(models.Model):
    """An OLA: how long a team may hold its share of a ticket, per priority, from assignment
    to the team until it hands the ticket on or solves it. Counted in the hours of the
    ticket's contract."""

    team = models.ForeignKey(
        "accounts.Team", on_delete=models.CASCADE, related_name="operational_targets"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    minutes = models.PositiveIntegerField(_("business minutes"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["team", "-priority"]
        verbose_name = _("operational level target")
        verbose_name_plural = _("operational level targets")
        constraints = [
            models.UniqueConstraint(fields=["team", "priority"], name="team_target_unique"),
            models.CheckConstraint(condition=models.Q(minutes__gte=1), name="team_target_minutes"),
        ]

    def __str__(self) -> str:
        return f"{self.team} P{self.priority}: {self.minutes} min"


class EscalationStep(models.Model):
    """One rung of a contract's escalation ladder: at `percent` % of a target, do `action`."""

    contract = models.ForeignKey(
        Contract, on_delete=models.CASCADE, related_name="escalation_steps"
    )
    kind = models.CharField(_("target"), max_length=20, choices=ClockKind.choices)
    percent = models.PositiveSmallIntegerField(
        _("at % of the target"), validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    action = models.CharField(_("action"), max_length=20, choices=EscalationAction.choices)
    team = models.ForeignKey(
        "accounts.Team",
        verbose_name=_("team to hand over to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["contract", "kind", "percent", "id"]
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "kind", "percent", "action"], name="escalation_step_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(percent__gte=1) & models.Q(percent__lte=1000),
                name="escalation_step_percent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.kind} {self.percent}% {self.action}"


class TicketClock(models.Model):
    """The state of one of a ticket's clocks, derived from its event history by
    `sla.clocks` and kept here so queues sort by due date, the worker finds what to escalate
    with one indexed read, and reports add figures up in SQL. Never edited by hand: always
    recomputed from the events (`sla.actions.refresh_clocks`)."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=20, choices=ClockKind.choices)
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="+")
    # The ticket's client and team (for an OLA, the team whose share it is), kept here so
    # that reports add clocks up without reading tickets.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        null=True,
        related_name="+",
        db_index=False,
    )
    team = models.ForeignKey(
        "accounts.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    priority = models.PositiveSmallIntegerField()
    target_seconds = models.PositiveIntegerField(null=True, blank=True)
    elapsed_seconds = models.PositiveBigIntegerField(default=0)
    paused_seconds = models.PositiveBigIntegerField(default=0)
    # Restarts so far (a reopening under a "restart" contract, each update for the time
    # between updates): escalation steps fire once per cycle.
    cycle = models.PositiveIntegerField(default=0)
    # NULL while a new cycle has not begun (an update on a solved ticket restarts the time
    # between updates, which runs again only if the ticket reopens).
    started_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    running = models.BooleanField(default=True)
    paused = models.BooleanField(default=False)
    breached = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True, blank=True)
    # Facts of the whole history the reports need (kept on every row of the ticket, read on
    # the resolution clock's): changes of hands after the first owner (reassignment,
    # escalation), waits (pending periods) and reopenings. Solved with none of them: solved at
    # the first contact.
    handovers = models.PositiveIntegerField(default=0)
    waits = models.PositiveIntegerField(default=0)
    reopenings = models.PositiveIntegerField(default=0)
    # When the next escalation step of this cycle is reached if nothing changes; NULL when
    # none is left or the clock does not run.
    next_step_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["ticket", "kind"]
        verbose_name = _("ticket clock")
        verbose_name_plural = _("ticket clocks")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind"], name="ticket_clock_unique"),
        ]
        indexes = [
            models.Index(fields=["next_step_at"], name="clock_next_step_idx"),
            # Reports read clocks stopped in a period and group them: every column they read
            # is in the index, so SQLite answers from it alone.
            models.Index(
                fields=[
                    "kind",
                    "stopped_at",
                    "breached",
                    "priority",
                    "contract",
                    "team",
                    "organisation",
                    "handovers",
                    "waits",
                    "reopenings",
                    "elapsed_seconds",
                    "running",
                    "target_seconds",
                    "due_at",
                ],
                name="clock_report_idx",
            ),
            models.Index(fields=["running", "due_at"], name="clock_running_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"


class EscalationFiring(models.Model):
    """A step that fired for a ticket in a clock cycle. The unique constraint is what makes a
    step fire exactly once, whatever the number of workers or how late they catch up."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey(EscalationStep, on_delete=models.CASCADE, related_name="firings")
    cycle = models.PositiveIntegerField(default=0)
    fired_at = models.DateTimeField()

    class Meta:
        ordering = ["fired_at", "id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "step", "cycle"], name="escalation_firing_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.step_id} #{self.cycle}"
