"""Business calendars: the opening hours, time zone and closed days contracts count in."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

MINUTES_A_DAY = 24 * 60


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


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
