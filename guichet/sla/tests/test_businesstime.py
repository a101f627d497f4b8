"""The business-time engine against a brute-force count, minute by minute, over random
calendars, closed days, daylight-saving transitions and year boundaries."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from guichet.sla.businesstime import (
    NeverOpen,
    Schedule,
    Timeline,
    add_business,
    business_seconds,
    is_open,
    timeline_add,
    timeline_seconds,
)

PARIS = ZoneInfo("Europe/Paris")
ZONES = [PARIS, PARIS, PARIS, ZoneInfo("America/New_York"), ZoneInfo("Australia/Lord_Howe")]
# Moments near which mistakes hide: both daylight-saving changes in Paris, New Year, a
# 29 February, and the changes in the other zones.
LANDMARKS = [
    datetime(2026, 3, 29, 0, 0, tzinfo=UTC),
    datetime(2026, 10, 25, 0, 0, tzinfo=UTC),
    datetime(2026, 12, 31, 12, 0, tzinfo=UTC),
    datetime(2028, 2, 28, 12, 0, tzinfo=UTC),
    datetime(2026, 3, 8, 6, 0, tzinfo=UTC),
    datetime(2026, 4, 4, 14, 0, tzinfo=UTC),
    datetime(2026, 6, 17, 9, 0, tzinfo=UTC),
]


def brute_open(schedule: Schedule, moment: datetime) -> bool:
    local = moment.astimezone(schedule.zone)
    if schedule.always_open:
        return True
    if schedule.closed(local.date()):
        return False
    second = local.hour * 3600 + local.minute * 60 + local.second
    return any(a <= second < b for a, b in schedule.weekly[local.weekday()])


def brute_seconds(schedule: Schedule, start: datetime, end: datetime) -> int:
    minutes, moment = 0, start
    while moment < end:
        minutes += brute_open(schedule, moment)
        moment += timedelta(minutes=1)
    return minutes * 60


def brute_add(schedule: Schedule, start: datetime, seconds: int) -> datetime:
    moment, left = start, seconds
    while left > 0:
        if brute_open(schedule, moment):
            left -= 60
        moment += timedelta(minutes=1)
    return moment


@st.composite
def day_ranges(draw):
    """Sorted, non-overlapping ranges of one weekday, on quarter hours (00:00–24:00)."""
    cuts = sorted(set(draw(st.lists(st.integers(0, 96), max_size=6))))
    if len(cuts) % 2:
        cuts = cuts[:-1]
    return tuple((cuts[i] * 900, cuts[i + 1] * 900) for i in range(0, len(cuts), 2))


@st.composite
def schedules(draw):
    zone = draw(st.sampled_from(ZONES))
    weekly = tuple(draw(day_ranges()) for _ in range(7))
    if draw(st.booleans()):  # an office week: the same ranges Monday to Friday
        office = draw(day_ranges())
        weekly = (office,) * 5 + weekly[5:]
    closed_days = frozenset(
        draw(st.lists(st.dates(date(2026, 1, 1), date(2028, 12, 31)), max_size=20))
    )
    if draw(st.booleans()):
        closed_days |= {date(2026, 3, 30), date(2026, 10, 26), date(2027, 1, 1)}
    return Schedule(
        zone=zone,
        weekly=weekly,
        always_open=draw(st.integers(0, 9)) == 0,
        closed=closed_days.__contains__,
    )


moments = st.builds(
    lambda base, minutes: base + timedelta(minutes=minutes),
    st.sampled_from(LANDMARKS),
    st.integers(-3 * 1440, 3 * 1440),
)


@settings(max_examples=150, deadline=None)
@given(schedules(), moments, st.integers(0, 4 * 1440))
def test_business_time_between_two_moments_is_the_brute_count(schedule, start, minutes):
    end = start + timedelta(minutes=minutes)
    assert business_seconds(schedule, start, end) == brute_seconds(schedule, start, end)


@settings(max_examples=150, deadline=None)
@given(schedules(), moments, st.integers(1, 3 * 600))
def test_adding_business_time_lands_where_the_brute_count_does(schedule, start, minutes):
    if not any(schedule.weekly) and not schedule.always_open:
        with pytest.raises(NeverOpen):
            add_business(schedule, start, minutes * 60)
        return
    expected = brute_add(schedule, start, minutes * 60)
    if expected - start > timedelta(days=40):
        return  # a very sparse calendar: the brute count alone would take too long
    assert add_business(schedule, start, minutes * 60) == expected
    assert business_seconds(schedule, start, expected) == minutes * 60


@settings(max_examples=100, deadline=None)
@given(schedules(), moments)
def test_open_or_not_is_the_brute_answer(schedule, moment):
    assert is_open(schedule, moment) == brute_open(schedule, moment)


OFFICE = Schedule(
    zone=PARIS,
    weekly=(((8 * 3600 + 1800, 12 * 3600 + 1800), (13 * 3600 + 1800, 18 * 3600)),) * 5 + ((), ()),
    closed={date(2026, 5, 1), date(2026, 12, 25)}.__contains__,
)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def test_a_friday_evening_request_is_due_on_monday():
    # 4 business hours from Friday 16:00: 2 h on Friday, 2 h on Monday morning.
    due = add_business(OFFICE, paris(2026, 6, 12, 16, 0), 4 * 3600)
    assert due == paris(2026, 6, 15, 10, 30)


def test_a_holiday_pushes_the_due_date_back():
    # Thursday 30 April 17:00 + 2 h: 1 h on Thursday, Friday 1 May is closed, 1 h on Monday.
    due = add_business(OFFICE, paris(2026, 4, 30, 17, 0), 2 * 3600)
    assert due == paris(2026, 5, 4, 9, 30)


def test_the_night_clocks_go_back_counts_its_extra_hour():
    always = Schedule(zone=PARIS, always_open=True)
    night = business_seconds(always, paris(2026, 10, 25, 0, 0), paris(2026, 10, 26, 0, 0))
    spring = business_seconds(always, paris(2026, 3, 29, 0, 0), paris(2026, 3, 30, 0, 0))
    assert (night, spring) == (25 * 3600, 23 * 3600)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        business_seconds(OFFICE, datetime(2026, 1, 1), datetime(2026, 1, 2))


def brute_timeline_open(changes, moment: datetime) -> bool:
    current = changes[0][1]
    for since, schedule in changes[1:]:
        if moment >= since:
            current = schedule
    return brute_open(current, moment)


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.tuples(st.integers(-2 * 1440, 2 * 1440), schedules()), min_size=1, max_size=3),
    moments,
    st.integers(0, 3 * 1440),
    st.integers(1, 600),
)
def test_a_calendar_that_changes_counts_each_stretch_in_its_own_hours(
    changes, start, minutes, target_minutes
):
    base = start.replace(second=0, microsecond=0)
    ordered = sorted(changes, key=lambda pair: pair[0])
    pairs = [(None, ordered[0][1])] + [
        (base + timedelta(minutes=offset), schedule) for offset, schedule in ordered[1:]
    ]
    timeline = Timeline(tuple(pairs))
    end = start + timedelta(minutes=minutes)
    expected, moment = 0, start
    while moment < end:
        expected += 60 * brute_timeline_open(pairs, moment)
        moment += timedelta(minutes=1)
    assert timeline_seconds(timeline, start, end) == expected
    # Adding: where the brute walk, minute by minute, reaches the target.
    moment, left = start, target_minutes * 60
    while left > 0 and moment - start < timedelta(days=30):
        left -= 60 * brute_timeline_open(pairs, moment)
        moment += timedelta(minutes=1)
    if left <= 0:
        assert timeline_add(timeline, start, target_minutes * 60) == moment
