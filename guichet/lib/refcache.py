"""Reference data read once per process and reused until the database says it changed.

Every staff screen shows the same lists: teams, technicians, categories, pending reasons,
solution types; every new ticket reads the priority matrix. Read and turned into objects on
each request, they cost more than the page's own queries. Each room registers the tables such
lists come from (`watch`, in its AppConfig), and triggers put on those tables after every
`migrate` give the one row of `guichet_reference_revision` a new token whenever one of them
changes: whoever writes (an action, the admin site, a bulk import, a SQL console), in the
same transaction. A request reads the token (one query on a primary key) and takes what this
process built for it, or builds it again.

Tokens never repeat, even after a rollback: random on SQLite, a sequence on PostgreSQL (a
rollback does not rewind it). A value built inside a transaction that was then rolled back is
therefore never taken for the committed state. Two transactions that change reference data at
the same time take turns on the revision row; reference data changes seldom.

Cached values are shared by every request of the process: treat them as read-only.
"""

# ruff: noqa: S608 - the SQL here is DDL built from constants and the models' table names

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connections

T = TypeVar("T")

TABLE = "guichet_reference_revision"
SEQUENCE = "guichet_reference_token"
FUNCTION = "guichet_reference_changed"
READ = f"SELECT token FROM {TABLE} WHERE id = 1"
EVENTS = ("INSERT", "UPDATE", "DELETE")


@dataclass(frozen=True)
class Watch:
    """A table whose changes make cached reference data stale.

    `when` limits the rows that matter (SQL on the row, `{row}` standing for NEW or OLD), an
    update that changes only the `ignore`d columns does not count (a sign-in writes
    `last_login`, which no list shows), and only the `events` named count (a cache that only
    ever learns rows already written is not made stale by new ones).
    """

    table: str
    when: str = ""
    ignore: tuple[str, ...] = ()
    events: tuple[str, ...] = EVENTS


_watches: dict[str, Watch] = {}
# Columns computed from others by the database itself (full-text vectors): a change of theirs
# is already a change of a column listed, and naming them would tie the trigger to them.
DERIVED = ("search_vector",)


def watch(*watches: Watch) -> None:
    """Register tables (from an AppConfig.ready); `install` puts their triggers."""
    for item in watches:
        _watches[item.table] = item


# --- Reading ---------------------------------------------------------------------------------
def revision(using: str = "default") -> int:
    with connections[using].cursor() as cursor:
        cursor.execute(READ)
        row = cursor.fetchone()
    return row[0] if row else 0


class Snapshot:
    """The reference data of one revision, built piece by piece on first use."""

    def __init__(self, token: int):
        self.token = token
        self._values: dict[Any, Any] = {}
        self._lock = threading.Lock()

    def get(self, key: Any, build: Callable[[], T]) -> T:
        try:
            return self._values[key]
        except KeyError:
            pass
        value = build()  # outside the lock: two threads may build it once each, harmlessly
        with self._lock:
            return self._values.setdefault(key, value)


_current: dict[str, Snapshot] = {}
# Within a request the revision is read once (RequestScope); elsewhere on every call.
_scope: ContextVar[dict[str, Snapshot] | None] = ContextVar("refcache_scope", default=None)


def snapshot(using: str = "default") -> Snapshot:
    """The reference data as the database has it now (one query to find out)."""
    scope = _scope.get()
    if scope is not None and using in scope:
        return scope[using]
    token = revision(using)
    current = _current.get(using)
    if current is None or current.token != token:
        current = _current[using] = Snapshot(token)
    if scope is not None:
        scope[using] = current
    return current


@contextmanager
def scope() -> Iterator[None]:
    """Read the revision once for everything inside (a request, a batch of the worker):
    what runs inside sees the reference data as they were at its first use."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


class RequestScope:
    """Middleware: one look at the revision per request, however many lists it uses.

    A request sees the reference data as they were when it first used them; a change it makes
    itself shows from the next request on (screens that edit reference data redirect).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope():
            return self.get_response(request)


def cached(key: Any, build: Callable[[], T], using: str = "default") -> T:
    """`build()` for the current revision, built at most once per process and revision."""
    return snapshot(using).get(key, build)


# --- Triggers --------------------------------------------------------------------------------
def _condition(connection, item: Watch, event: str) -> str:
    """The WHEN clause of the trigger of `item` for `event`, or ""."""
    rows = {"INSERT": ["NEW"], "DELETE": ["OLD"], "UPDATE": ["OLD", "NEW"]}[event]
    parts = []
    if item.when:
        parts.append(" OR ".join(f"({item.when.format(row=row)})" for row in rows))
    if event == "UPDATE" and item.ignore:
        with connection.cursor() as cursor:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, item.table)
                if c.name not in item.ignore and c.name not in DERIVED
            ]
        differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
        quote = connection.ops.quote_name
        parts.append(
            " OR ".join(f"OLD.{quote(c)} {differs} NEW.{quote(c)}" for c in columns) or "FALSE"
        )
    return " AND ".join(f"({part})" for part in parts)


def _sqlite(connection, cursor, item: Watch) -> None:
    for event in EVENTS:
        name = f"{item.table}_ref_{event.lower()}"
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        if event not in item.events:
            continue
        condition = _condition(connection, item, event)
        cursor.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {item.table}"
            + (f" WHEN {condition}" if condition else "")
            + f" BEGIN UPDATE {TABLE} SET token = random() WHERE id = 1; END"
        )


def _postgres(connection, cursor, item: Watch) -> None:
    prefix = f"{item.table}_ref"
    cursor.execute(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname LIKE %s",
        [item.table, f"{prefix}%"],
    )
    for (name,) in cursor.fetchall():
        cursor.execute(f"DROP TRIGGER {name} ON {item.table}")
    function = f"EXECUTE FUNCTION {FUNCTION}()"
    if not (item.when or item.ignore):
        events = " OR ".join([*item.events, "TRUNCATE"])
        cursor.execute(
            f"CREATE TRIGGER {prefix} AFTER {events} ON {item.table} FOR EACH STATEMENT {function}"
        )
        return
    for event in item.events:
        condition = _condition(connection, item, event)
        cursor.execute(
            f"CREATE TRIGGER {prefix}_{event.lower()} AFTER {event} ON {item.table}"
            " FOR EACH ROW" + (f" WHEN ({condition})" if condition else "") + f" {function}"
        )
    # Tests empty tables with TRUNCATE, which row triggers do not see.
    cursor.execute(
        f"CREATE TRIGGER {prefix}_truncate AFTER TRUNCATE ON {item.table}"
        f" FOR EACH STATEMENT {function}"
    )


def install(using: str = "default", **kwargs) -> None:
    """Create the revision row and (re)create the triggers of every registered table.

    Connected to post_migrate: it runs after every `migrate`, so triggers follow the tables'
    columns and come back after SQLite rebuilds a table (which drops its triggers).
    """
    connection = connections[using]
    vendor = connection.vendor
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY, token bigint NOT NULL)"
        )
        cursor.execute(f"INSERT INTO {TABLE} (id, token) VALUES (1, 0) ON CONFLICT (id) DO NOTHING")
        if vendor == "postgresql":
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
            cursor.execute(
                f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$"
                f" BEGIN UPDATE {TABLE} SET token = nextval('{SEQUENCE}') WHERE id = 1;"
                " RETURN NULL; END $$"
            )
        for item in _watches.values():
            if item.table not in tables:
                continue
            if vendor == "postgresql":
                _postgres(connection, cursor, item)
            elif vendor == "sqlite":
                _sqlite(connection, cursor, item)
        # A migration may have written reference data while a rebuilt table had no trigger
        # (a seed, a table SQLite remade): what any process kept is stale now.
        bump = "nextval('" + SEQUENCE + "')" if vendor == "postgresql" else "random()"
        cursor.execute(f"UPDATE {TABLE} SET token = {bump} WHERE id = 1")
