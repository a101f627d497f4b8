"""A year of service desk life: when tickets arrive, how far each has got today, and the batches
that write them."""

import random
import time
from collections import Counter
from datetime import datetime, timedelta

from django.db import transaction

from guichet.demo.incidents import major_incident
from guichet.demo.people import Cast
from guichet.demo.stories import Storyteller
from guichet.lib import refcache
from guichet.notifications.actions import mark_read
from guichet.notifications.models import Notification
from guichet.tickets.choices import OPEN_STATUSES, Status
from guichet.tickets.models import Ticket

DEFAULT_TICKETS = 3000
BATCH = 100  # tickets per transaction: SQLite commits are the slow part, not the inserts
YEAR = timedelta(days=365)
RECENT = timedelta(days=10)
# Opening hours: calls peak mid-morning and mid-afternoon.
HOURS = list(range(7, 20))
HOUR_WEIGHTS = [2, 8, 14, 14, 11, 6, 7, 12, 12, 9, 5, 2, 1]
# How far a ticket has got, by its age: young ones are still open, old ones nearly all closed.
FINAL_STATUSES = ["new", "assigned", "planned", "pending", "solved", "closed"]
FINALS: list[
    tuple[timedelta, list[float]]
] = [  # younger than: weights in the order of FINAL_STATUSES
    (timedelta(days=2), [25, 30, 5, 10, 22, 8]),
    (timedelta(days=7), [6, 18, 8, 15, 28, 25]),
    (timedelta(days=30), [1, 4, 2, 6, 0, 87]),
    (YEAR * 2, [0, 0.6, 0.1, 1.2, 0, 98.1]),
]
OPEN_FINALS = ["new", "assigned", "planned", "pending", "solved"]
# The demo logins get a few recent tickets in the states worth showing on their portal.
SHOWCASE = [
    ("client1", "solved"), ("client1", "pending"), ("client1", "new"),
    ("particulier1", "solved"), ("particulier1", "planned"),
]  # fmt: skip


def opening_time(rng: random.Random, now: datetime, oldest: timedelta, newest: timedelta):
    """A plausible time for a call: on a weekday (mostly), in opening hours."""
    for _ in range(20):
        day = now - oldest + (oldest - newest) * rng.random()
        if day.weekday() < 5 or rng.random() < 0.15:
            break
    at = day.replace(
        hour=rng.choices(HOURS, HOUR_WEIGHTS)[0], minute=rng.randrange(60), second=rng.randrange(60)
    )
    return min(at, now - newest)


def final_status(rng: random.Random, age: timedelta) -> str:
    for limit, weights in FINALS:
        if age < limit:
            return rng.choices(FINAL_STATUSES, weights)[0]
    return Status.CLOSED


def plan_year(rng: random.Random, count: int, now: datetime):
    """(time, what) for every ticket or major incident to tell, in chronological order."""
    incidents = count // 300 if count >= 300 else (1 if count >= 30 else 0)
    sizes = [rng.randint(4, 6) for _ in range(incidents)]
    regular = count - sum(sizes)
    recent = min(regular, max(12, regular // 40))
    times = [opening_time(rng, now, YEAR, RECENT) for _ in range(regular - recent)]
    times += [opening_time(rng, now, RECENT, timedelta(minutes=20)) for _ in range(recent)]
    times.sort()
    finals = [final_status(rng, now - t) for t in times]
    who: list[str | None] = [None] * len(times)
    # A small demo still shows every status: take the missing ones from the newest tickets.
    newest = list(range(len(times) - recent, len(times)))
    rng.shuffle(newest)
    for status in OPEN_FINALS:
        if status not in finals and newest:
            finals[newest.pop()] = status
    for username, status in SHOWCASE:
        if newest:
            index = newest.pop()
            finals[index], who[index] = status, username
    plan: list[tuple[datetime, tuple]] = [
        (t, ("ticket", final, username))
        for t, final, username in zip(times, finals, who, strict=True)
    ]
    for number, size in enumerate(sizes):
        ongoing = number == len(sizes) - 1
        start = (
            now - timedelta(hours=3) if ongoing else opening_time(rng, now, YEAR, timedelta(days=3))
        )
        plan.append((start, ("incident", size, ongoing)))
    plan.sort(key=lambda item: item[0])
    return plan


def generate(cast: Cast, count: int, *, seed: int, now: datetime, progress=None) -> dict:
    """Tell `count` ticket stories over the last year. Returns counts by status and seconds."""
    started = time.monotonic()
    rng = random.Random(seed)
    teller = Storyteller(cast, rng=rng, now=now)
    plan = plan_year(rng, count, now)
    for first in range(0, len(plan), BATCH):
        # Contracts and calendars do not change while the stories are told: read them once.
        with transaction.atomic(), refcache.scope():
            for at, what in plan[first : first + BATCH]:
                if what[0] == "ticket":
                    teller.ticket(at, what[1], username=what[2])
                else:
                    major_incident(teller, at, what[1], ongoing=what[2])
        if progress:
            progress(min(first + BATCH, len(plan)), len(plan))
    tidy_notifications(cast)
    statuses = Counter(Ticket.objects.values_list("status", flat=True))
    return {"statuses": dict(statuses), "seconds": time.monotonic() - started}


def tidy_notifications(cast: Cast) -> None:
    """A year of assignments leaves thousands of notifications: staff have long read those
    about tickets that are no longer open."""
    staff = {m for members in cast.members.values() for m in members}
    staff |= {cast.supervisor, cast.admin}
    for user in staff:
        ids = (
            Notification.objects.filter(user=user, read_at__isnull=True)
            .exclude(ticket__status__in=OPEN_STATUSES)
            .values_list("id", flat=True)
        )
        mark_read(user=user, ids=list(ids))
