"""A PostgreSQL replica of a benchmark data set, for the mail scenarios on PostgreSQL.

The data set generator writes SQLite (bench/dataset.py); this copies its file, table by table,
into the PostgreSQL database that DATABASE_URL names (the throw-away server of
scripts/with-postgres.sh): `migrate`, every table the two share emptied and filled with COPY
(same ids; triggers and foreign-key checks off during the copy, as for a restore), the
tickets' search vectors computed once afterwards, the sequences moved past the ids copied,
then ANALYZE. The reference revision row stays PostgreSQL's own.
"""

import sqlite3
import time
from pathlib import Path

SKIPPED = {"django_migrations", "guichet_reference_revision", "sqlite_sequence"}


def _tables(source: sqlite3.Connection, connection) -> list[str]:
    ours = set(connection.introspection.table_names())
    names = [
        row[0]
        for row in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not row[0].startswith("sqlite_")
    ]
    return [name for name in names if name in ours and name not in SKIPPED]


def prepare(path: Path, env: dict, *, say) -> dict:
    """Migrate the configured PostgreSQL database and fill it from the SQLite file `path`."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection

    started = time.monotonic()
    say("Migrating PostgreSQL…")
    call_command("migrate", verbosity=0)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    copied: dict[str, int] = {}
    try:
        tables = _tables(source, connection)
        say(f"Copying {len(tables)} tables of {path.name} into PostgreSQL…")
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
            cursor.execute("SET session_replication_role = replica")
            cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
            for table in tables:
                copied[table] = _copy(source, cursor, table)
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute(
                "UPDATE tickets_ticket SET search_vector = "
                "tickets_ticket_search_vector(title, description)"
            )
            from guichet.search import indexes

            for index in indexes.ALL:  # articles, problems, people
                cursor.execute(
                    f"UPDATE {index.table} SET search_vector = {indexes.vector_sql(index)}"  # noqa: S608
                )
            for sql in connection.ops.sequence_reset_sql(
                no_style(), apps.get_models(include_auto_created=True)
            ):
                cursor.execute(sql)
            # The vectors were written by UPDATE: vacuum the old row versions away, as a
            # server in service would have, before anything is measured on these tables.
            cursor.execute("VACUUM ANALYZE")
    finally:
        source.close()
    seconds = time.monotonic() - started
    rows = sum(copied.values())
    say(f"  {rows:,} rows in {seconds:.1f} s.")
    return {"tickets": copied.get("tickets_ticket", 0), "rows": rows, "seconds": seconds}


def _copy(source: sqlite3.Connection, cursor, table: str) -> int:
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = %s AND table_schema = current_schema()",
        [table],
    )
    theirs = dict(cursor.fetchall())
    columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
    columns = [c for c in columns if c in theirs]
    flags = [i for i, c in enumerate(columns) if theirs[c] == "boolean"]
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in source.execute(f'SELECT {names} FROM "{table}"'):  # noqa: S608 - schema names
            if flags:
                row = list(row)
                for i in flags:
                    if row[i] is not None:
                        row[i] = bool(row[i])
            copy.write_row(row)
            count += 1
    return count
