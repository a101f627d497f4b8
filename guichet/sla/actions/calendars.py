"""Calendar verbs (administrators only)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import available_timezones

import holidays
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guichet.lib.errors import InvalidInput
from guichet.sla.actions.clocks import recompute_later
from guichet.sla.actions.common import require_admin
from guichet.sla.choices import Weekday
from guichet.sla.models import (
    MINUTES_A_DAY,
    BusinessRange,
    Calendar,
    CalendarVersion,
    ClosureDay,
)

NAME_MAX = 100
LABEL_MAX = 100
MAX_TARGET_MINUTES = 366 * 24 * 60


@dataclass(frozen=True)
class Opening:
    """One opening range of a weekday, in minutes from midnight (24:00 is 1440)."""

    weekday: int
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class Closure:
    day: date
    label: str = ""


def _check_openings(errors: dict, openings: list[Opening], always_open: bool) -> None:
    by_day: dict[int, list[Opening]] = {}
    for opening in openings:
        if opening.weekday not in Weekday.values:
            errors.setdefault("ranges", []).append(_("Unknown day of the week."))
            continue
        day = Weekday(opening.weekday).label
        if not 0 <= opening.start_minute < opening.end_minute <= MINUTES_A_DAY:
            errors.setdefault("ranges", []).append(
                _("%(day)s: a range must close after it opens, between 00:00 and 24:00.")
                % {"day": day}
            )
            continue
        by_day.setdefault(opening.weekday, []).append(opening)
    for weekday, ranges in sorted(by_day.items()):
        ranges.sort(key=lambda o: o.start_minute)
        for before, after in zip(ranges, ranges[1:], strict=False):
            if after.start_minute < before.end_minute:
                errors.setdefault("ranges", []).append(
                    _("%(day)s: two ranges overlap.") % {"day": Weekday(weekday).label}
                )
                break
    if not always_open and not by_day and "ranges" not in errors:
        errors["ranges"] = [
            _("Give at least one range of business hours, or make the calendar open 24/7.")
        ]


def _check_holidays(errors: dict, country: str, subdivision: str) -> None:
    if not country:
        if subdivision:
            errors["holiday_subdivision"] = [_("Choose the country first.")]
        return
    supported = holidays.list_supported_countries()
    if country not in supported:
        errors["holiday_country"] = [_("Unknown country for public holidays.")]
    elif subdivision and subdivision not in supported[country]:
        errors["holiday_subdivision"] = [_("Unknown region for this country.")]


@transaction.atomic
def save_calendar(
    *,
    actor,
    name: str,
    time_zone: str = "Europe/Paris",
    always_open: bool = False,
    holiday_country: str = "FR",
    holiday_subdivision: str = "",
    openings: list[Opening] = (),  # type: ignore[assignment]
    closures: list[Closure] = (),  # type: ignore[assignment]
    calendar: Calendar | None = None,
) -> Calendar:
    """Create a calendar, or give an existing one new hours and closed days from now on."""
    require_admin(actor)
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the calendar a name.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("At most %(n)d characters.") % {"n": NAME_MAX}]
    elif Calendar.objects.filter(name=name).exclude(pk=calendar.pk if calendar else 0).exists():
        errors["name"] = [_("Another calendar has this name.")]
    if time_zone not in available_timezones():
        errors["time_zone"] = [_("Unknown time zone (for instance Europe/Paris).")]
    holiday_country = (holiday_country or "").strip().upper()
    holiday_subdivision = (holiday_subdivision or "").strip()
    _check_holidays(errors, holiday_country, holiday_subdivision)
    openings = list(openings)
    _check_openings(errors, openings, always_open)
    closures = list(closures)
    days = [c.day for c in closures]
    if len(set(days)) != len(days):
        errors["closures"] = [_("A day is listed twice.")]
    if any(len(c.label) > LABEL_MAX for c in closures):
        errors["closures"] = [_("At most %(n)d characters.") % {"n": LABEL_MAX}]
    if errors:
        raise InvalidInput(errors)

    now = timezone.now()
    if calendar is None:
        # A new calendar holds from the beginning of time: a ticket moved to it later counts
        # its own past in the hours of its former contract, not in these.
        calendar = Calendar.objects.create(name=name)
        since = datetime(2000, 1, 1, tzinfo=UTC)
    else:
        calendar.name = name
        calendar.save(update_fields=["name"])
        since = now  # time already counted keeps the hours it was counted in
    version = CalendarVersion.objects.create(
        calendar=calendar,
        valid_from=since,
        time_zone=time_zone,
        always_open=always_open,
        holiday_country=holiday_country,
        holiday_subdivision=holiday_subdivision,
    )
    BusinessRange.objects.bulk_create(
        BusinessRange(
            version=version,
            weekday=o.weekday,
            start_minute=o.start_minute,
            end_minute=o.end_minute,
        )
        for o in openings
    )
    ClosureDay.objects.bulk_create(
        ClosureDay(version=version, day=c.day, label=c.label.strip()) for c in closures
    )
    recompute_later()
    return calendar
