"""Calendars as the business-time engine reads them, built once per process and revision of
the reference data (see guichet.lib.refcache)."""

from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from guichet.lib import refcache
from guichet.sla.businesstime import Schedule
from guichet.sla.models import Calendar


@lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    if not country:
        return frozenset()
    found = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(found)


def holiday_names(country: str, subdivision: str, year: int, language: str) -> dict[date, str]:
    """The public holidays of a year with their names, for the calendar's screen."""
    if not country:
        return {}
    found = holidays.country_holidays(
        country, subdiv=subdivision or None, years=year, language=language
    )
    return dict(sorted(found.items()))


def _build(calendar: Calendar) -> Schedule:
    weekly: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for business in calendar.ranges.all():
        weekly[business.weekday].append((business.start_minute * 60, business.end_minute * 60))
    extra = frozenset(calendar.closures.values_list("day", flat=True))
    country, subdivision = calendar.holiday_country, calendar.holiday_subdivision

    def closed(day: date) -> bool:
        return day in extra or day in public_holidays(country, subdivision, day.year)

    return Schedule(
        zone=ZoneInfo(calendar.time_zone),
        weekly=tuple(tuple(sorted(ranges)) for ranges in weekly),
        always_open=calendar.always_open,
        closed=closed,
    )


def schedule(calendar_id: int) -> Schedule:
    """The engine's view of a calendar (Calendar.DoesNotExist for an unknown id)."""

    def build() -> Schedule:
        return _build(Calendar.objects.get(pk=calendar_id))

    return refcache.cached(("sla.schedule", calendar_id), build)
