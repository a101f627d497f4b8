"""Calendars as the business-time engine reads them, built once per process and revision of
the reference data (see guichet.lib.refcache)."""

from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from guichet.lib import refcache
from guichet.sla.businesstime import Schedule, Timeline
from guichet.sla.models import Calendar, CalendarVersion


@lru_cache(maxsize=512)
def public_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    if not country:
        return frozenset()
    found = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    return frozenset(found)


def _schedule_of(version: CalendarVersion) -> Schedule:
    weekly: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for business in version.ranges.all():
        weekly[business.weekday].append((business.start_minute * 60, business.end_minute * 60))
    extra = frozenset(closure.day for closure in version.closures.all())
    country, subdivision = version.holiday_country, version.holiday_subdivision

    def closed(day: date) -> bool:
        return day in extra or day in public_holidays(country, subdivision, day.year)

    return Schedule(
        zone=ZoneInfo(version.time_zone),
        weekly=tuple(tuple(sorted(ranges)) for ranges in weekly),
        always_open=version.always_open,
        closed=closed,
    )


def _build(calendar_id: int) -> Timeline:
    versions = list(
        CalendarVersion.objects.filter(calendar_id=calendar_id).prefetch_related(
            "ranges", "closures"
        )
    )
    if not versions:
        raise Calendar.DoesNotExist(f"no calendar {calendar_id}")
    changes = [(None if i == 0 else v.valid_from, _schedule_of(v)) for i, v in enumerate(versions)]
    return Timeline(tuple(changes))


def timeline(calendar_id: int) -> Timeline:
    """The engine's view of a calendar, every version in force in turn (Calendar.DoesNotExist
    for an unknown id)."""
    return refcache.cached(("sla.timeline", calendar_id), lambda: _build(calendar_id))


def schedule(calendar_id: int) -> Schedule:
    """The calendar's hours as they are now (its latest version)."""
    return timeline(calendar_id).changes[-1][1]
