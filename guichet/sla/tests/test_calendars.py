"""Calendars: what administrators may save, the errors bad ones get, and the engine's view."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from guichet.lib.errors import Forbidden, InvalidInput
from guichet.sla.actions import Closure, Opening, save_calendar
from guichet.sla.businesstime import add_business, timeline_seconds
from guichet.sla.calendars import schedule, timeline
from guichet.sla.models import Calendar

pytestmark = pytest.mark.django_db

MORNING = Opening(0, 9 * 60, 12 * 60)


def errors_of(**kwargs) -> dict:
    with pytest.raises(InvalidInput) as caught:
        save_calendar(**kwargs)
    return caught.value.errors


def test_installations_start_with_office_hours_and_24_7():
    office = Calendar.objects.get(name="Heures ouvrées (France)").versions.get()
    assert office.ranges.count() == 10 and office.holiday_country == "FR"
    assert schedule(Calendar.objects.get(name="24/7").pk).always_open


def test_root_saves_a_calendar_in_moselle_with_a_bridge_day(root):
    calendar = save_calendar(
        actor=root,
        name="Metz",
        holiday_subdivision="57",
        openings=[Opening(d, 8 * 60, 17 * 60) for d in range(5)],
        closures=[Closure(date(2026, 5, 15), "Pont")],
    )
    engine = schedule(calendar.pk)
    assert engine.closed(date(2026, 12, 26))  # Saint Stephen's Day, in Moselle only
    assert engine.closed(date(2026, 5, 15))
    assert not engine.closed(date(2026, 5, 18))
    # Thursday 14 May (Ascension) and Friday 15 (bridge) are closed: Monday it is.
    start = datetime(2026, 5, 13, 15, 0, tzinfo=UTC)  # 17:00 in Paris
    assert add_business(engine, start, 3600) == datetime(2026, 5, 18, 7, 0, tzinfo=UTC)


def test_a_changed_calendar_counts_the_past_in_its_former_hours(root):
    calendar = save_calendar(actor=root, name="Shop", openings=[MORNING])
    assert schedule(calendar.pk).weekly[0] == ((9 * 3600, 12 * 3600),)
    edited_at = timezone.now()
    save_calendar(actor=root, calendar=calendar, name="Shop", openings=[Opening(0, 600, 720)])
    assert schedule(calendar.pk).weekly[0] == ((36_000, 43_200),)
    hours = timeline(calendar.pk)
    assert [since is None for since, _s in hours.changes] == [True, False]
    assert hours.changes[1][0] >= edited_at
    # Monday 2026-06-15, 09:00–12:00 in Paris, before the edit: three hours, as then.
    monday = datetime(2026, 6, 15, 7, 0, tzinfo=UTC)
    assert timeline_seconds(hours, monday, monday + timedelta(hours=3)) == 3 * 3600


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "24/7"}, "name"),
        ({"time_zone": "Europe/Atlantis"}, "time_zone"),
        ({"holiday_country": "XX"}, "holiday_country"),
        ({"holiday_subdivision": "99"}, "holiday_subdivision"),
        ({"holiday_country": "", "holiday_subdivision": "57"}, "holiday_subdivision"),
        ({"openings": []}, "ranges"),
        ({"openings": [Opening(0, 600, 600)]}, "ranges"),
        ({"openings": [Opening(0, 600, 1500)]}, "ranges"),
        ({"openings": [Opening(7, 600, 700)]}, "ranges"),
        ({"openings": [Opening(1, 540, 720), Opening(1, 700, 900)]}, "ranges"),
        ({"closures": [Closure(date(2026, 1, 2)), Closure(date(2026, 1, 2))]}, "closures"),
    ],
)
def test_bad_calendars_are_refused_with_the_field_named(root, changes, field):
    values = {"actor": root, "name": "Bad", "openings": [MORNING], **changes}
    assert field in errors_of(**values)
    assert not Calendar.objects.filter(name="Bad").exists()


def test_a_calendar_open_24_7_needs_no_ranges(root):
    calendar = save_calendar(actor=root, name="NOC", always_open=True)
    assert schedule(calendar.pk).always_open


def test_only_administrators_change_calendars(alice, sam):
    for person in (alice, sam):
        with pytest.raises(Forbidden):
            save_calendar(actor=person, name="Mine", openings=[MORNING])
