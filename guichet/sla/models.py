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
    """Weekly business hours in a time zone, less public holidays and extra closed days; or
    around the clock."""

    name = models.CharField(_("name"), max_length=100, unique=True)
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
        ordering = ["name"]
        verbose_name = _("calendar")
        verbose_name_plural = _("calendars")

    def __str__(self) -> str:
        return self.name


class BusinessRange(models.Model):
    """One opening range of a weekday, in minutes from local midnight (24:00 is 1440)."""

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="ranges")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_minute = models.PositiveSmallIntegerField(
        _("opens at"), validators=[MaxValueValidator(MINUTES_A_DAY)]
    )
    end_minute = models.PositiveSmallIntegerField(
        _("closes at"), validators=[MaxValueValidator(MINUTES_A_DAY)]
    )

    class Meta:
        ordering = ["calendar", "weekday", "start_minute"]
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

    calendar = models.ForeignKey(Calendar, on_delete=models.CASCADE, related_name="closures")
    day = models.DateField(_("date"))
    label = models.CharField(_("label"), max_length=100, blank=True)

    class Meta:
        ordering = ["calendar", "day"]
        verbose_name = _("closed day")
        verbose_name_plural = _("closed days")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "day"], name="closure_unique_day")
        ]

    def __str__(self) -> str:
        return f"{self.calendar} {self.day}"
