"""Business time: how much of a stretch of real time falls in a calendar's opening hours, and
when a given amount of it will have elapsed.

A calendar opens on weekly ranges of local wall-clock time (several a day, e.g. 08:30–12:30 and
13:30–18:00), in its time zone, except on closed days (public holidays, extra closures); or
it is open around the clock. An instant is *open* when its local date is not closed and its
local time lies in a range of that weekday. Business time between two instants is the real
duration of the open instants between them: on the night clocks go back, an open 02:30–03:00
counts twice (it happens twice); on the night they go forward, it does not exist and counts
for nothing. A brute-force count, minute by minute, is the reference the tests compare with.

Everything here is plain Python on aware datetimes; times are in seconds.
"""

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY = 86_400
# add_business() gives up past this horizon: a calendar may be open so rarely (ranges only on
# days that are always holidays) that a target is never reached.
HORIZON_DAYS = 366 * 10


class NeverOpen(ValueError):
    """The calendar has no open time in the horizon: a target can never be reached."""


@dataclass(frozen=True)
class Schedule:
    """What the engine needs of a calendar.

    `weekly[weekday]` (Monday is 0) holds sorted, non-overlapping (start, end) ranges in
    seconds from local midnight, 0 ≤ start < end ≤ 86,400. `closed(day)` tells whether a local
    date is closed all day.
    """

    zone: ZoneInfo
    weekly: tuple[tuple[tuple[int, int], ...], ...] = ((),) * 7
    always_open: bool = False
    closed: Callable[[date], bool] = field(default=lambda day: False, compare=False)


def _timestamp(moment: datetime) -> float:
    if moment.tzinfo is None:
        raise ValueError("business time needs aware datetimes")
    return moment.timestamp()


def _from_timestamp(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@lru_cache(maxsize=4096)
def _day_pieces(zone: ZoneInfo, day: date) -> tuple[tuple[float, float, int], ...]:
    """The real time of one local date as pieces of constant UTC offset:
    (start timestamp, end timestamp, offset in seconds)."""
    start, end = _day_start(zone, day), _day_start(zone, day + timedelta(days=1))
    pieces = []
    cursor = start
    while cursor < end:
        offset = _offset(zone, cursor)
        # Find where the offset changes, if it does before the end of the day.
        if _offset(zone, end - 1) == offset and _no_change(zone, cursor, end, offset):
            pieces.append((cursor, end, offset))
            break
        low, high = cursor, end - 1  # offset(low) == offset, offset(high) != offset
        while high - low > 1:
            middle = (low + high) // 2
            if _offset(zone, middle) == offset:
                low = middle
            else:
                high = middle
        pieces.append((cursor, high, offset))
        cursor = high
    return tuple(pieces)


def _no_change(zone: ZoneInfo, start: float, end: float, offset: int) -> bool:
    # A day holds at most one transition in practice; check the middle too so that a
    # there-and-back within one day (none known) would not be missed silently.
    return _offset(zone, (start + end) // 2) == offset


def _offset(zone: ZoneInfo, timestamp: float) -> int:
    utcoffset = datetime.fromtimestamp(timestamp, zone).utcoffset()
    assert utcoffset is not None
    return int(utcoffset.total_seconds())


def _midnight_as_utc(day: date) -> int:
    return (day - date(1970, 1, 1)).days * DAY


@lru_cache(maxsize=4096)
def _day_start(zone: ZoneInfo, day: date) -> int:
    """The first real second whose local date is `day`."""
    naive = _midnight_as_utc(day)
    low, high = naive - 20 * 3600, naive + 20 * 3600  # beyond any UTC offset
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).date() >= day:
            high = middle
        else:
            low = middle
    return high


def open_intervals(schedule: Schedule, day: date) -> list[tuple[float, float]]:
    """The real intervals (timestamps, end excluded) during which `day` is open, in order."""
    if schedule.always_open:
        return [(_day_start(schedule.zone, day), _day_start(schedule.zone, day + timedelta(1)))]
    if schedule.closed(day):
        return []
    ranges = schedule.weekly[day.weekday()]
    if not ranges:
        return []
    midnight = _midnight_as_utc(day)
    intervals: list[tuple[float, float]] = []
    for piece_start, piece_end, offset in _day_pieces(schedule.zone, day):
        for start, end in ranges:
            low = max(piece_start, midnight + start - offset)
            high = min(piece_end, midnight + end - offset)
            if low < high:
                intervals.append((low, high))
    intervals.sort()
    merged: list[tuple[float, float]] = []
    for low, high in intervals:
        if merged and low <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def _local_date(schedule: Schedule, timestamp: float) -> date:
    return datetime.fromtimestamp(timestamp, schedule.zone).date()


def _intervals_from(schedule: Schedule, start: float) -> Iterator[tuple[float, float]]:
    day = _local_date(schedule, start)
    for _ in range(HORIZON_DAYS):
        for low, high in open_intervals(schedule, day):
            if high > start:
                yield max(low, start), high
        day += timedelta(days=1)


def business_seconds(schedule: Schedule, start: datetime, end: datetime) -> float:
    """Business time between two instants (0 when end is not after start)."""
    low, high = _timestamp(start), _timestamp(end)
    if high <= low:
        return 0.0
    total = 0.0
    day = _local_date(schedule, low)
    last = _local_date(schedule, high)
    while day <= last:
        for a, b in open_intervals(schedule, day):
            overlap = min(b, high) - max(a, low)
            if overlap > 0:
                total += overlap
        day += timedelta(days=1)
    return total


def add_business(schedule: Schedule, start: datetime, seconds: float) -> datetime:
    """The instant at which `seconds` of business time will have passed since `start`.

    With 0 seconds it is `start` itself, open or not. Raises NeverOpen when the calendar has
    no open time left within the horizon.
    """
    origin = _timestamp(start)
    if seconds <= 0:
        return start
    remaining = float(seconds)
    for low, high in _intervals_from(schedule, origin):
        span = high - low
        if remaining <= span:
            return _from_timestamp(low + remaining)
        remaining -= span
    raise NeverOpen("this calendar has no business hours left")


def is_open(schedule: Schedule, moment: datetime) -> bool:
    timestamp = _timestamp(moment)
    day = _local_date(schedule, timestamp)
    return any(a <= timestamp < b for a, b in open_intervals(schedule, day))


# --- Calendars that change ---------------------------------------------------------------
@dataclass(frozen=True)
class Timeline:
    """Schedules in force one after the other: (from, schedule) pairs in time order, the
    first from the beginning of time. A calendar edited on a date, or a ticket moved to
    another contract, counts each stretch of time in the hours in force then."""

    changes: tuple[tuple[datetime | None, Schedule], ...]

    @classmethod
    def of(cls, schedule: Schedule) -> "Timeline":
        return cls(((None, schedule),))

    def _bounds(self) -> list[tuple[float, float, Schedule]]:
        bounds = []
        for index, (since, schedule) in enumerate(self.changes):
            low = -math.inf if since is None or index == 0 else _timestamp(since)
            following = self.changes[index + 1][0] if index + 1 < len(self.changes) else None
            high = math.inf if following is None else _timestamp(following)
            if low < high:
                bounds.append((low, high, schedule))
        return bounds


def timeline_seconds(timeline: Timeline, start: datetime, end: datetime) -> float:
    """Business time between two instants, each stretch in the schedule in force then."""
    low, high = _timestamp(start), _timestamp(end)
    total = 0.0
    for a, b, schedule in timeline._bounds():
        begin, finish = max(a, low), min(b, high)
        if begin < finish:
            total += business_seconds(schedule, _from_timestamp(begin), _from_timestamp(finish))
    return total


def timeline_add(timeline: Timeline, start: datetime, seconds: float) -> datetime:
    """When `seconds` of business time will have passed since `start`, across changes."""
    if seconds <= 0:
        return start
    cursor, remaining = _timestamp(start), float(seconds)
    for a, b, schedule in timeline._bounds():
        if b <= cursor:
            continue
        cursor = max(cursor, a)
        moment = _from_timestamp(cursor)
        if b == math.inf:
            return add_business(schedule, moment, remaining)
        available = business_seconds(schedule, moment, _from_timestamp(b))
        if remaining <= available:
            return add_business(schedule, moment, remaining)
        remaining -= available
        cursor = b
    raise NeverOpen("this calendar has no business hours left")
