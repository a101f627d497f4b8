"""Tickets, events and follow-ups in bulk: plain SQL through the sqlite3 module.

A million tickets through the actions would take hours; the loader writes the rows the actions
would have written (same columns, same event kinds, consistent dates and statuses) with
executemany in large transactions. Secondary indexes and the full-text triggers are dropped
for the load and rebuilt afterwards (sorting once is much cheaper than updating B-trees row by
row); the full-text index is rebuilt from the tickets with FTS5's 'rebuild' command.
"""

import math
import os
import random
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from bench.base import Base, Client
from guichet.demo import phrases
from guichet.demo.scenarios import render
from guichet.demo.scenarios_more import SCENARIOS
from guichet.tickets.seed import PRIORITY_MATRIX

SPAN = timedelta(days=3 * 365)  # the data set covers three years of service desk life
CHUNK = 20_000
VARIANTS = 60  # pre-rendered texts per scenario and language
LOADED_TABLES = ("tickets_ticket", "tickets_ticketevent", "tickets_followup")
STATUSES = ["new", "assigned", "planned", "pending", "solved", "closed"]
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
)  # fmt: skip
EVENT_COLUMNS = (
    "ticket_id", "actor_id", "kind", "field", "old_value", "new_value", "note", "is_public",
    "created_at",
)  # fmt: skip
FOLLOWUP_COLUMNS = ("ticket_id", "author_id", "body", "is_internal", "created_at")


def _insert(table: str, columns: tuple[str, ...]) -> str:
    marks = ", ".join("?" * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - constants


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


class Loader:
    def __init__(self, cx: sqlite3.Connection, base: Base, size: int, seed: int, now: datetime):
        self.cx, self.base, self.size = cx, base, size
        self.rng = random.Random(seed)
        self.now = now.timestamp()
        self.texts = prepare_texts(cx, self.rng)
        self.pending_reasons = [r for (r,) in cx.execute("SELECT id FROM tickets_pendingreason")]
        self.weights = [c.weight for c in base.clients]
        self.counts = {"tickets": 0, "events": 0, "followups": 0}

    def creation_times(self) -> list[float]:
        """Uniform over the span's days, within office hours (06:00-18:00 UTC)."""
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

    def final(self, age_days: float) -> str:
        for limit, weights in FINALS:
            if age_days < limit:
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
        events = [(ticket_id, created_by, "created", "", "", title, "", 1, stamp(created))]
        if assignee:
            at = created + (end - created) * 0.2
            events.append(
                (ticket_id, assignee, "assigned", "assignee", "", str(assignee), "", 1, stamp(at))
            )
        if status == "pending":
            pending_reason = rng.choice(self.pending_reasons)
            if rng.random() < 0.4:
                pending_until = stamp(self.now + rng.randint(1, 14) * 86400)
            events.append(
                (
                    ticket_id,
                    assignee,
                    "pending",
                    "pending_reason",
                    "",
                    str(pending_reason),
                    "",
                    1,
                    stamp(end),
                )
            )
        elif status == "planned":
            planned_for = stamp(self.now + rng.randint(1, 10) * 86400)
            events.append(
                (ticket_id, assignee, "status", "status", "assigned", "planned", "", 1, stamp(end))
            )
        elif status in ("solved", "closed"):
            solved_at, sol, sol_type = stamp(end), solution, solution_type
            events.append(
                (ticket_id, assignee, "solved", "solution", "", solution, "", 1, solved_at)
            )
            if status == "closed":
                closed = min(end + rng.random() * 3 * 86400, self.now - 10)
                closed_at = stamp(closed)
                events.append((ticket_id, requester, "accepted", "", "", "", "", 1, closed_at))
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
            followups.append(
                (
                    ticket_id,
                    author,
                    body,
                    int(internal),
                    stamp(created + (end - created) * rng.random()),
                )
            )
        row = (
            ticket_id, kind, channel, status, title, description, impact, urgency, priority, "",
            requester, client.id, location, category, team, assignee, int(escalated),
            pending_reason, pending_until, planned_for, sol or "", sol_type, solved_at, closed_at,
            0, None, satisfaction, "", created_by, stamp(created), stamp(max(end, created)),
        )  # fmt: skip
        return row, events, followups

    def load(self, progress=None) -> None:
        """Write every ticket with its events and follow-ups, a chunk per executemany."""
        times = self.creation_times()
        chosen = self.rng.choices(self.base.clients, self.weights, k=self.size)
        insert_ticket = _insert("tickets_ticket", TICKET_COLUMNS)
        insert_event = _insert("tickets_ticketevent", EVENT_COLUMNS)
        insert_followup = _insert("tickets_followup", FOLLOWUP_COLUMNS)
        for first in range(0, self.size, CHUNK):
            tickets, events, followups = [], [], []
            for index in range(first, min(first + CHUNK, self.size)):
                row, evs, fus = self.ticket(index + 1, times[index], chosen[index])
                tickets.append(row)
                events += evs
                followups += fus
            self.cx.executemany(insert_ticket, tickets)
            self.cx.executemany(insert_event, events)
            self.cx.executemany(insert_followup, followups)
            self.counts["tickets"] += len(tickets)
            self.counts["events"] += len(events)
            self.counts["followups"] += len(followups)
            if progress:
                progress(self.counts["tickets"], self.size)


def generate(path: str, base: Base, size: int, *, seed: int = 1, progress=None) -> dict:
    """Fill the (migrated, based) database at `path` with `size` tickets. Returns timings."""
    timings: dict = {}
    cx = sqlite3.connect(path, isolation_level=None)
    # Bulk-load settings: no rollback journal, no fsync, a big page cache. The file is a
    # throw-away copy: a crash during the load means generating it again.
    for pragma in (
        "journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000", "temp_store=MEMORY",
        "locking_mode=EXCLUSIVE", "foreign_keys=OFF",
    ):  # fmt: skip
        cx.execute(f"PRAGMA {pragma}")
    started = time.monotonic()
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
    loader = Loader(cx, base, size, seed, datetime.now(UTC))
    loader.load(progress)
    timings["rows"] = dict(loader.counts)
    timings["insert_s"] = time.monotonic() - started
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
    rows = sum(timings["rows"].values())
    timings["rows_per_s"] = rows / timings["total_s"]
    return timings
