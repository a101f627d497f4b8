"""The assets' text filter (`q`): each word is found inside the name, the serial number or
the inventory number, in any case, whatever the size of the fleet.

A contains search cannot use an ordinary index, and with the list ordered newest first the
database read the whole table for a word of a few old machines. So each engine keeps a
trigram index of the three columns, in the same transaction as the row:

- SQLite: an FTS5 table with the `trigram` tokenizer and external content over the asset
  table, kept by the triggers of `search.indexes` (put back after table rebuilds by
  `repair`). A word of three characters or more is a phrase of the MATCH query;
- PostgreSQL: one `pg_trgm` GIN index of the three columns joined by spaces (`AssetText`),
  compared by `icontains`. A word has no space in it, so it is found in the joined text
  exactly when it is in one of the columns; one index scan costs a third of the three
  that one index per column needed (the common trigrams of "PC-0…" names are long lists).

Words under three characters have no trigram: they are matched by a scan, beside the
indexed words when there are some.
"""

# ruff: noqa: S608 (table and column names are the constants below, never input)
from django.db import connection
from django.db.models import CharField, F, Func, Q
from django.db.models.expressions import RawSQL
from django.db.models.lookups import IContains

from guichet.search import indexes

ASSET_TEXT = indexes.Index(
    "assets_asset",
    titles=("name", "serial", "inventory_number"),
    texts=(),
    tokenize="trigram",
    prefix="",
)
WORDS = 8  # the words of a search that count; the rest are ignored
TRIGRAM = 3


PG_INDEX = "asset_text_trgm_idx"
# The indexes of the first layout, one per column: dropped when the joined one is made.
PG_FORMER = tuple(f"asset_{column}_trgm_idx" for column in ASSET_TEXT.titles)


class AssetText(Func):
    """name || ' ' || serial || ' ' || inventory_number: the expression `PG_INDEX` holds,
    written by Django with the query's own table alias."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = CharField()

    def __init__(self):
        super().__init__(*(F(column) for column in ASSET_TEXT.titles))


def _postgres_install() -> list[str]:
    joined = " || ' ' || ".join(ASSET_TEXT.titles)
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON assets_asset "
        f"USING gin ((UPPER({joined})) gin_trgm_ops)",
        *(f"DROP INDEX IF EXISTS {name}" for name in PG_FORMER),
    ]


def install(schema_connection) -> None:
    if schema_connection.vendor == "sqlite":
        statements = indexes.sqlite_install(ASSET_TEXT)
    elif schema_connection.vendor == "postgresql":
        statements = _postgres_install()
    else:
        statements = []
    with schema_connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(schema_connection) -> None:
    if schema_connection.vendor == "sqlite":
        statements = indexes.sqlite_uninstall(ASSET_TEXT)
    else:
        statements = [f"DROP INDEX IF EXISTS {name}" for name in (PG_INDEX, *PG_FORMER)]
    with schema_connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def repair(using: str = "default", **kwargs) -> None:
    indexes.repair_sqlite_triggers(using, indexes=(ASSET_TEXT,))


def _scanned(word: str) -> Q:
    return Q(name__icontains=word) | Q(serial__icontains=word) | Q(inventory_number__icontains=word)


def matching(text: str) -> Q:
    """Assets whose name, serial or inventory number contains each word of `text`."""
    words = list(dict.fromkeys(text.split()))[:WORDS]
    condition = Q()
    if connection.vendor != "sqlite":
        for word in words:
            condition &= Q(IContains(AssetText(), word))
        return condition
    long = [w for w in words if len(w) >= TRIGRAM]
    if long:
        phrases = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
        fts = ASSET_TEXT.fts
        # The words travel as a parameter; the SQL around them is constant.
        matched = RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [phrases])  # noqa: S611
        condition &= Q(pk__in=matched)
    for word in words:
        if len(word) < TRIGRAM:
            condition &= _scanned(word)
    return condition
