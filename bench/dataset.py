"""Tickets, events, follow-ups and service clocks in bulk: plain SQL through the sqlite3 module.

A million tickets through the actions would take hours; the loader writes the rows the actions
would have written (same columns, same event kinds, consistent dates and statuses) with
executemany in large transactions. Secondary indexes and the full-text triggers are dropped
for the load and rebuilt afterwards (sorting once is much cheaper than updating B-trees row by
row); the full-text index is rebuilt from the tickets with FTS5's 'rebuild' command.

Each ticket's history is what the verbs record: a status event for every change of status
(as `change_status` writes it), the assignment, the wait, the solution, the acceptance, an
event per follow-up (public unless internal). Its service clocks are then computed from that
history by the product's own engine, as of the generation's `now`: `sla.history.read` on
light copies of the event rows, `sla.clocks.compute` with the contracts' `REFERENCE`, the
TicketClock row values of `sla.actions.clocks._values` and `Ticket.due_at` from `ticket_due`.
Escalation steps reached before `now` get their EscalationFiring row, fired at the first
whole minute after they were reached (a worker scanning every minute), so that every clock's
`next_step_at` is its next step not yet fired: the data set is in the steady state of a
running worker. The steps' actions are not replayed into the histories (no notification, no
raised priority): the firings only.

`backlog=True` makes a data set of open tickets only, aged like the open backlog of the full
data set (see `Loader.backlog_times`): the escalation scans run on one (bench/escalation.py).
"""

import inspect
import math
import multiprocessing
import os
import random
import sqlite3
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from typing import NamedTuple

from django.db import connections, models
from django.utils import timezone

from bench.base import Base, Client
from guichet.accounts import reference as people
from guichet.demo import phrases
from guichet.demo.scenarios import render
from guichet.demo.scenarios_more import SCENARIOS
from guichet.lib import refcache
from guichet.sla import calendars, clocks, contracts, history
from guichet.sla.actions.clocks import FIELDS as CLOCK_FIELDS
from guichet.sla.actions.clocks import _values as clock_values
from guichet.sla.actions.clocks import ticket_due
from guichet.sla.models import TicketClock
from guichet.tickets.seed import PRIORITY_MATRIX

SPAN = timedelta(days=3 * 365)  # the data set covers three years of service desk life
CHUNK = 20_000
VARIANTS = 60  # pre-rendered texts per scenario and language
LOADED_TABLES = (
    "tickets_ticket", "tickets_ticketevent", "tickets_followup", "sla_ticketclock",
    "sla_escalationfiring",
)  # fmt: skip
STATUSES = ["new", "assigned", "planned", "pending", "solved", "closed"]
OPEN = 4  # the first four of STATUSES
FINALS = [  # younger than (days): weights in the order of STATUSES
    (2, list(accumulate([25, 30, 5, 10, 22, 8]))),
    (7, list(accumulate([6, 18, 8, 15, 28, 25]))),
    (30, list(accumulate([1, 4, 2, 6, 0, 87]))),
    (10**6, list(accumulate([0.02, 0.1, 0.03, 0.15, 0, 99.7]))),
]
CHANNELS = ["phone", "email", "portal", "monitoring", "onsite", "counter"]
CHANNEL_WEIGHTS = list(accumulate([35, 25, 30, 5, 3, 2]))
# Which team level takes the ticket: first level mostly.
LEVELS = ["n1", "n2", "n3", "onsite", "network"]
LEVEL_WEIGHTS = list(accumulate([72, 14, 5, 6, 3]))
FOLLOWUPS = [0, 1, 2, 3]
FOLLOWUP_WEIGHTS = list(accumulate([35, 35, 20, 10]))
SCORES = [5, 4, 3, 2, 1]
SCORE_WEIGHTS = list(accumulate([50, 30, 10, 6, 4]))

TICKET_COLUMNS = (
    "id", "type", "channel", "status", "title", "description", "impact", "urgency", "priority",
    "major_reason", "requester_id", "organisation_id", "location_id", "category_id", "team_id",
    "assignee_id", "escalated", "pending_reason_id", "pending_until", "planned_for", "solution",
    "solution_type_id", "solved_at", "closed_at", "reopen_count", "merged_into_id",
    "satisfaction", "satisfaction_comment", "created_by_id", "created_at", "updated_at",
    "due_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "ticket_id", "actor_id", "kind", "field", "old_value", "new_value", "note", "is_public",
    "created_at",
)  # fmt: skip
FOLLOWUP_COLUMNS = ("id", "ticket_id", "author_id", "body", "is_internal", "created_at")
# The TicketClock columns refresh_clocks writes (sla.actions.clocks.FIELDS), each with how
# SQLite stores it: datetimes as Django writes them, booleans as integers.
CLOCK_COLUMNS = ("ticket_id", "kind", *CLOCK_FIELDS)
_CONVERT = {models.DateTimeField: "time", models.BooleanField: "bool"}
CLOCK_TYPES = tuple(
    next(
        (
            kind
            for cls, kind in _CONVERT.items()
            if isinstance(TicketClock._meta.get_field(name), cls)
        ),
        "",
    )
    for name in CLOCK_FIELDS
)
# `_values` takes the ticket's organisation since the clocks keep it for the reports.
VALUES_TAKE_ORGANISATION = len(inspect.signature(clock_values).parameters) > 3
FIRING_COLUMNS = ("ticket_id", "step_id", "cycle", "fired_at")
SCAN_EVERY = 60  # seconds between two escalation scans of the worker
PIECE = 2_000  # tickets whose clocks one worker process computes at a time


def _insert(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - constants


INSERTS = {
    "tickets": _insert("tickets_ticket", TICKET_COLUMNS),
    "events": _insert("tickets_ticketevent", EVENT_COLUMNS),
    "followups": _insert("tickets_followup", FOLLOWUP_COLUMNS),
    "clocks": _insert("sla_ticketclock", CLOCK_COLUMNS),
    "firings": _insert("sla_escalationfiring", FIRING_COLUMNS),
}


_DAYS: dict[int, str] = {}
_TIMES = [f" {h:02d}:{m:02d}:{s:02d}" for h in range(24) for m in range(60) for s in range(60)]


def stamp(moment: float) -> str:
    """Django's SQLite format for a datetime: naive UTC 'YYYY-MM-DD HH:MM:SS'. Cached per day:
    formatting millions of dates one by one costs more than inserting them."""
    day, second = divmod(int(moment), 86400)
    text = _DAYS.get(day)
    if text is None:
        text = _DAYS[day] = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d")
    return text + _TIMES[second]


def db_time(moment: datetime | None) -> str | None:
    """An aware datetime as Django writes it in SQLite: naive UTC, microseconds if any."""
    if moment is None:
        return None
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.replace(tzinfo=None).isoformat(" ")


class Event(NamedTuple):
    """What `sla.history.read` reads of a TicketEvent row."""

    kind: str
    field: str
    old_value: str
    new_value: str
    is_public: bool
    actor_id: int | None
    created_at: datetime


class TicketView(NamedTuple):
    """What `sla.history.read` reads of a Ticket."""

    created_at: datetime
    status: str
    priority: int
    team_id: int | None
    assignee_id: int | None


def warm_reference() -> None:
    """Read every piece of reference data the clocks use, inside the caller's
    `refcache.scope()`: once the loader's connection holds its exclusive lock, Django's own
    connection could not read them any more."""
    people.staff_by_id()
    contracts.contract_for(None, date.today())
    contracts.team_target_seconds(0, 0)
    default = contracts.default_contract()
    if default is None:
        raise RuntimeError("no default contract: was the database migrated?")
    for contract_id in refcache.cached("sla.terms", contracts._all_terms):
        calendars.timeline(contracts.terms(contract_id).calendar_id)


@dataclass
class Texts:
    """Pre-rendered ticket texts per language: (title, description, solution, category id,
    type, solution type id)."""

    by_language: dict[str, list[tuple]] = field(default_factory=dict)


def prepare_texts(cx: sqlite3.Connection, rng: random.Random) -> Texts:
    categories = dict(cx.execute("SELECT code, id FROM tickets_category"))
    solutions = dict(cx.execute("SELECT code, id FROM tickets_solutiontype"))
    texts = Texts()
    for lang in ("fr", "en"):
        rows = []
        for scenario in SCENARIOS:
            for _ in range(VARIANTS):
                rows.append(
                    (
                        render(scenario.title(lang), lang, rng, rng.choice(["Siège", "Agence"]))[
                            :250
                        ],
                        render(scenario.description(lang), lang, rng),
                        render(scenario.solution(lang), lang, rng),
                        categories[scenario.category],
                        scenario.type,
                        solutions[scenario.solution_type],
                    )
                )
        texts.by_language[lang] = rows
    return texts


def ticket_clocks(now: int, item: tuple) -> tuple[str | None, list, list]:
    """A ticket's due date, TicketClock rows and escalation firings as of `now` (a timestamp),
    computed by the product's engine from its history as the rows store it (to the second).
    `item` is (ticket id, organisation, status, priority, team, assignee, history), each
    history entry (timestamp, actor, kind, field, old value, new value, public)."""
    ticket_id, organisation, status, priority, team, assignee, entries = item
    moment = datetime.fromtimestamp
    history_rows = [
        Event(kind, name, old, new, bool(public), actor, moment(at, UTC))
        for at, actor, kind, name, old, new, public in entries
    ]
    ticket = TicketView(history_rows[0].created_at, status, priority, team, assignee)
    contract = contracts.contract_for(organisation, timezone.localdate(ticket.created_at))
    start, changes = history.read(ticket, history_rows, contract)
    as_of = max(moment(now, UTC), ticket.created_at)
    found, facts = clocks.compute(start, changes, as_of, contracts.REFERENCE)
    fired: set[tuple[int, int]] = set()
    firings = []
    with_steps = False
    for clock in found.values():
        ladder = contracts.terms(clock.contract_id).steps.get(clock.kind, ())
        with_steps = with_steps or (clock.running and bool(ladder))
        if clock.target_seconds is None:
            continue
        for percent, step_id in ladder:
            reached = clock.reach(math.ceil(clock.target_seconds * percent / 100))
            if reached is None or reached > as_of:
                break
            # Fired by the first scan after it was reached; a scan after the clock had
            # stopped never saw it running.
            at = min(math.ceil(reached.timestamp() / SCAN_EVERY) * SCAN_EVERY, now)
            if not clock.running and at >= clock.stopped_at.timestamp():
                break
            fired.add((step_id, clock.cycle))
            firings.append((ticket_id, step_id, clock.cycle, stamp(at)))
    rows = []
    extra = (organisation,) if VALUES_TAKE_ORGANISATION else ()
    for kind, clock in found.items():
        values = clock_values(clock, facts, fired if with_steps else None, *extra)
        row = [ticket_id, kind]
        for name, type_ in zip(CLOCK_FIELDS, CLOCK_TYPES, strict=True):
            value = values[name]
            if type_ == "time":
                value = db_time(value)
            elif type_ == "bool":
                value = int(value)
            row.append(value)
        rows.append(row)
    return db_time(ticket_due(found.values())), rows, firings


def clocks_of(now: int, items: list[tuple]) -> tuple[list, float]:
    """`ticket_clocks` of each item, and the CPU seconds they took (in a worker process)."""
    if refcache._scope.get() is None:
        raise RuntimeError("the reference data must be read in a scope before the fork")
    began = time.process_time()
    found = [ticket_clocks(now, item) for item in items]
    return found, time.process_time() - began


class Loader:
    def __init__(
        self,
        cx: sqlite3.Connection,
        base: Base,
        size: int,
        seed: int,
        now: datetime,
        *,
        backlog: bool = False,
    ):
        self.cx, self.base, self.size, self.backlog = cx, base, size, backlog
        self.rng = random.Random(seed)
        self.now = now.timestamp()
        self.now_at = datetime.fromtimestamp(int(self.now), UTC)  # as the rows store it
        self.texts = prepare_texts(cx, self.rng)
        self.pending_reasons = [r for (r,) in cx.execute("SELECT id FROM tickets_pendingreason")]
        self.weights = [c.weight for c in base.clients]
        self.counts = {
            "tickets": 0, "events": 0, "followups": 0, "clocks": 0, "firings": 0,
        }  # fmt: skip
        self.clocks_s = 0.0  # spent computing clocks
        self.next_followup = 1

    def creation_times(self) -> list[float]:
        """Uniform over the span's days, within office hours (06:00-18:00 UTC)."""
        if self.backlog:
            return self.backlog_times()
        first_day = (self.now - SPAN.total_seconds()) // 86400 * 86400
        days = SPAN.days
        random_ = self.rng.random
        times = [
            min(
                first_day + int(random_() * days) * 86400 + 21600 + random_() * 43200, self.now - 60
            )
            for _ in range(self.size)
        ]
        times.sort()
        return times

    def backlog_times(self) -> list[float]:
        """The open tickets of a desk: ages drawn like those of the full data set's open
        backlog (each age band of FINALS weighted by its length times its share of open
        statuses), over the same span, at office hours (06:00-18:00 UTC)."""
        bands, weights, low = [], [], 0
        for limit, cumulative in FINALS:
            high = min(limit, SPAN.days)
            bands.append((low, high))
            weights.append((high - low) * cumulative[OPEN - 1] / cumulative[-1])
            low = high
        random_ = self.rng.random
        times = []
        for low, high in self.rng.choices(bands, weights, k=self.size):
            while True:
                moment = self.now - 60 - (low + random_() * (high - low)) * 86400
                if 21600 <= moment % 86400 < 64800:
                    break
            times.append(moment)
        times.sort()
        return times

    def final(self, age_days: float) -> str:
        for limit, weights in FINALS:
            if age_days < limit:
                if self.backlog:  # open statuses only, in the same proportions
                    return self.rng.choices(STATUSES[:OPEN], cum_weights=weights[:OPEN])[0]
                return self.rng.choices(STATUSES, cum_weights=weights)[0]
        return "closed"

    def ticket(self, ticket_id: int, created: float, client: Client):
        rng = self.rng
        requester, location = rng.choice(client.contacts)
        title, description, solution, category, kind, solution_type = rng.choice(
            self.texts.by_language[client.language]
        )
        status = self.final((self.now - created) / 86400)
        impact, urgency = rng.randint(1, 5), rng.randint(1, 5)
        priority = PRIORITY_MATRIX[urgency][impact - 1]
        channel = rng.choices(CHANNELS, cum_weights=CHANNEL_WEIGHTS)[0]
        team = assignee = None
        if status != "new" or rng.random() < 0.3:
            level = rng.choices(LEVELS, cum_weights=LEVEL_WEIGHTS)[0]
            team = client.teams.get(level) or client.teams["n1"]
            if status != "new":
                assignee = rng.choice(self.base.members[team])
        staff_intake = channel not in ("portal", "email")
        created_by = requester if not staff_intake else (assignee or self.base.technician_id)
        # Log-normal handling time (median about 7 hours, long tail), never past now.
        span = min(rng.lognormvariate(math.log(7 * 3600), 1.3), 40 * 86400)
        end = min(created + span, self.now - 30)
        if status not in ("closed",):
            end = created + (self.now - created) * rng.random()
        pending_reason = pending_until = planned_for = solved_at = closed_at = None
        sol = sol_type = None
        satisfaction, escalated = None, rng.random() < 0.01
        # (moment, actor, kind, field, old value, new value, note, public), as the verbs
        # record them; a status event for every change of status (tickets.actions.common).
        events = [(created, created_by, "created", "", "", title, "", 1)]
        if assignee:
            at = created + (end - created) * 0.2
            events.append((at, assignee, "assigned", "assignee", "", str(assignee), "", 1))
            events.append((at, assignee, "status", "status", "new", "assigned", "", 1))
        if escalated:
            at = created + (end - created) * 0.5
            events.append(
                (at, assignee or self.base.technician_id, "escalated_up", "escalated", "False",
                 "True", "Le client relance : à traiter en priorité.", 0)
            )  # fmt: skip
        worked = end  # the end of the work: follow-ups are written before it
        if status == "pending":
            pending_reason = rng.choice(self.pending_reasons)
            if rng.random() < 0.4:
                pending_until = stamp(self.now + rng.randint(1, 14) * 86400)
            events.append((end, assignee, "status", "status", "assigned", "pending", "", 1))
            events.append(
                (end, assignee, "pending", "pending_reason", "", str(pending_reason), "", 1)
            )
        elif status == "planned":
            planned = self.now + rng.randint(1, 10) * 86400
            planned_for = stamp(planned)
            events.append((end, assignee, "status", "status", "assigned", "planned", "", 1))
            events.append(
                (end, assignee, "changed", "planned_for", "",
                 datetime.fromtimestamp(int(planned), UTC).isoformat(), "", 1)
            )  # fmt: skip
        elif status in ("solved", "closed"):
            solved_at, sol, sol_type = stamp(end), solution, solution_type
            events.append((end, assignee, "status", "status", "assigned", "solved", "", 1))
            events.append((end, assignee, "solved", "solution", "", solution, "", 1))
            if status == "closed":
                closed = min(end + rng.random() * 3 * 86400, self.now - 10)
                closed_at = stamp(closed)
                events.append((closed, requester, "accepted", "", "", "", "", 1))
                events.append((closed, requester, "status", "status", "solved", "closed", "", 1))
                if rng.random() < 0.3:
                    satisfaction = rng.choices(SCORES, cum_weights=SCORE_WEIGHTS)[0]
                end = closed
        followups = []
        for _ in range(rng.choices(FOLLOWUPS, cum_weights=FOLLOWUP_WEIGHTS)[0]):
            internal = assignee is not None and rng.random() < 0.3
            author = assignee if (assignee and (internal or rng.random() < 0.5)) else requester
            pairs = (
                phrases.INTERNAL_NOTES
                if internal
                else (phrases.STAFF_QUESTIONS if author != requester else phrases.REQUESTER_REPLIES)
            )
            body = phrases.pick(rng, pairs, client.language)
            # Before the solution: a staff follow-up on a solved ticket makes the product's
            # refresh_clocks fail (see docs/benchmarks.md), and a requester's reply would
            # have woken a pending ticket.
            at = created + (worked - created) * rng.random()
            followup_id = self.next_followup
            self.next_followup += 1
            followups.append((followup_id, ticket_id, author, body, int(internal), stamp(at)))
            events.append((at, author, "followup", "", "", str(followup_id), "", int(not internal)))
        events.sort(key=lambda e: e[0])
        row = (
            ticket_id,
            kind,
            channel,
            status,
            title,
            description,
            impact,
            urgency,
            priority,
            "",
            requester,
            client.id,
            location,
            category,
            team,
            assignee,
            int(escalated),
            pending_reason,
            pending_until,
            planned_for,
            sol or "",
            sol_type,
            solved_at,
            closed_at,
            0,
            None,
            satisfaction,
            "",
            created_by,
            stamp(created),
            stamp(max(end, created)),
        )  # fmt: skip  (due_at follows, from the clocks)
        rows = [(ticket_id, *e[1:], stamp(e[0])) for e in events]
        history = [(int(e[0]), e[1], e[2], e[3], e[4], e[5], e[7]) for e in events]
        return (
            row,
            rows,
            followups,
            (ticket_id, client.id, status, priority, team, assignee, history),
        )

    def load(self, progress=None, pool=None) -> None:
        """Write every ticket with its events, follow-ups, clocks and escalation firings, a
        chunk per executemany. The clocks of a chunk are computed by `pool` (forked worker
        processes) while the next chunk is generated, else here."""
        times = self.creation_times()
        chosen = self.rng.choices(self.base.clients, self.weights, k=self.size)
        now = int(self.now)
        pending: deque = deque()
        for first in range(0, self.size, CHUNK):
            chunk: dict[str, list] = {"tickets": [], "events": [], "followups": []}
            items = []
            for index in range(first, min(first + CHUNK, self.size)):
                row, events, followups, item = self.ticket(index + 1, times[index], chosen[index])
                chunk["tickets"].append(row)
                chunk["events"] += events
                chunk["followups"] += followups
                items.append(item)
            if pool is None:
                pending.append((chunk, [clocks_of(now, items)]))
            else:
                pieces = [items[i : i + PIECE] for i in range(0, len(items), PIECE)]
                pending.append((chunk, [pool.apply_async(clocks_of, (now, p)) for p in pieces]))
            if len(pending) > 1:
                self.write(*pending.popleft(), progress)
        while pending:
            self.write(*pending.popleft(), progress)

    def write(self, chunk: dict[str, list], results: list, progress) -> None:
        """Insert a chunk once its clocks are known (the ticket rows end with due_at)."""
        tickets, clock_rows, firings = [], [], []
        generated = iter(chunk["tickets"])
        for result in results:
            found, seconds = result if isinstance(result, tuple) else result.get()
            self.clocks_s += seconds
            for due_at, rows, fired in found:
                tickets.append((*next(generated), due_at))
                clock_rows += rows
                firings += fired
        chunk = {**chunk, "tickets": tickets, "clocks": clock_rows, "firings": firings}
        for name, rows in chunk.items():
            self.cx.executemany(INSERTS[name], rows)
            self.counts[name] += len(rows)
        if progress:
            progress(self.counts["tickets"], self.size)


def generate(
    path: str,
    base: Base,
    size: int,
    *,
    seed: int = 1,
    progress=None,
    now: datetime | None = None,
    backlog: bool = False,
    workers: int | None = None,
) -> dict:
    """Fill the (migrated, based) database at `path` with `size` tickets. Returns timings."""
    timings: dict = {}
    now = now or datetime.now(UTC)
    if workers is None:
        workers = os.cpu_count() or 1
    with refcache.scope():  # the reference data read once, before the exclusive lock
        warm_reference()
        # Django's connection put the file in WAL mode: leaving it open would keep the
        # loader from switching the journal off. What it read stays in the scope.
        connections.close_all()
        # Forked now, the workers have the scope and its reference data, and no connection.
        pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
        cx = sqlite3.connect(path, isolation_level=None)
        # Bulk-load settings: no rollback journal, no fsync, a big page cache. The file is a
        # throw-away copy: a crash during the load means generating it again.
        for pragma in (
            "journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000", "temp_store=MEMORY",
            "locking_mode=EXCLUSIVE", "foreign_keys=OFF",
        ):  # fmt: skip
            cx.execute(f"PRAGMA {pragma}")
        started, started_cpu = time.monotonic(), time.process_time()
        cx.execute("BEGIN")
        dropped = [
            row
            for row in cx.execute(
                "SELECT type, name, sql, tbl_name FROM sqlite_master"
                " WHERE type IN ('index', 'trigger') AND sql IS NOT NULL"
            )
            if row[3] in LOADED_TABLES
        ]
        for kind, name, _sql, _table in dropped:
            cx.execute(f'DROP {kind} "{name}"')
        loader = Loader(cx, base, size, seed, now, backlog=backlog)
        try:
            loader.load(progress, pool)
        finally:
            if pool is not None:
                pool.terminate()
    timings["rows"] = dict(loader.counts)
    timings["now"] = loader.now_at.isoformat()
    timings["insert_s"] = time.monotonic() - started
    timings["clocks_s"] = loader.clocks_s  # CPU seconds, over the worker processes
    timings["clock_workers"] = workers
    mark = time.monotonic()
    for kind, _name, sql, _table in dropped:
        if kind == "index":
            cx.execute(sql)
    timings["index_s"] = time.monotonic() - mark
    mark = time.monotonic()
    fts = [
        name
        for name, sql in cx.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
        if sql and "fts5" in sql.lower() and "tickets_ticket" in sql
    ]
    for name in fts:
        cx.execute(f"INSERT INTO {name}({name}) VALUES ('rebuild')")  # noqa: S608 - schema name
        # One segment, as tickets.search does after a rebuild (see SQLITE_OPTIMIZE there).
        cx.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")  # noqa: S608
    for kind, _name, sql, _table in dropped:
        if kind == "trigger":
            cx.execute(sql)
    timings["fts_s"] = time.monotonic() - mark
    timings["fts_tables"] = fts
    cx.execute("COMMIT")
    cx.execute("PRAGMA journal_mode=WAL")  # what the product runs with
    cx.close()
    # The load ran without syncing: push the file to the disk now, or the first checkpoint of
    # the measurements would wait for gigabytes of it to be written.
    mark = time.monotonic()
    with open(path, "rb+") as db_file:
        os.fsync(db_file.fileno())
    timings["sync_s"] = time.monotonic() - mark
    timings["total_s"] = time.monotonic() - started
    timings["cpu_s"] = time.process_time() - started_cpu  # this process's, clocks apart
    rows = sum(timings["rows"].values())
    timings["rows_per_s"] = rows / timings["total_s"]
    return timings
