"""Full-text indexes of the articles, problems and people, kept by triggers in the database.

Each index covers real columns of its table, so both engines index the row itself and change
in the same transaction as it, whoever writes it:

- SQLite: an FTS5 table with external content over the table (one row per object, keyed by
  its id), tokenised by `porter unicode61 remove_diacritics 2`: accents and case are folded
  ("ecran" finds "écran") and words are stemmed ("écran" finds "écrans", "printer" finds
  "printers"); the stemmer is English, and French plurals it misses ("réseaux") are covered
  by the query (see `query.variants`). Triggers on insert, delete and update of the indexed
  columns keep it.
- PostgreSQL: a `search_vector` tsvector column with a GIN index, French, English and
  'simple' lexemes of the unaccented text, the title columns weighted A and the rest B,
  computed by a BEFORE trigger. The `immutable_unaccent` and `tickets_search_term` functions
  come from the tickets' index (tickets migration 0003).

The tickets' own index lives in `tickets.search`. A change to a definition here needs a new
migration that calls `uninstall` then `install` for it (which reindexes).
"""

# ruff: noqa: S608 (table and column names are the constants below, never input)
from dataclasses import dataclass

from django.db import connections


@dataclass(frozen=True)
class Index:
    table: str
    titles: tuple[str, ...]  # weighted A
    texts: tuple[str, ...]  # weighted B
    # PostgreSQL: a second GIN index of the A-weighted part alone, for "matches in the title"
    # (`ts_filter` on every match would detoast each long vector; the index answers at once).
    title_index: bool = False
    # SQLite: how FTS5 cuts the text, and the prefix lengths it indexes ("" for none).
    tokenize: str = "porter unicode61 remove_diacritics 2"
    prefix: str = "3"

    @property
    def columns(self) -> tuple[str, ...]:
        return self.titles + self.texts

    @property
    def fts(self) -> str:
        return f"{self.table}_fts"


ARTICLES = Index(
    "knowledge_article",
    titles=("title_fr", "title_en", "keywords"),
    texts=(
        "body_fr",
        "body_en",
        "symptom_fr",
        "symptom_en",
        "cause_fr",
        "cause_en",
        "workaround_fr",
        "workaround_en",
        "solution_fr",
        "solution_en",
        "software",
    ),
    title_index=True,
)
PROBLEMS = Index(
    "problems_problem",
    titles=("title",),
    texts=("description", "impact_analysis", "root_cause", "workaround", "permanent_fix"),
)
PEOPLE = Index(
    "accounts_user", titles=("first_name", "last_name"), texts=("email", "username", "phone")
)
ALL = (ARTICLES, PROBLEMS, PEOPLE)


# --- SQLite ----------------------------------------------------------------------------------
def _values(index: Index, row: str) -> str:
    return ", ".join(f"{row}.{column}" for column in index.columns)


def sqlite_triggers(index: Index) -> dict[str, str]:
    cols = ", ".join(index.columns)
    fts, table = index.fts, index.table
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in ("id", *index.columns))
    return {
        f"{fts}_insert": f"""
            CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON {table} BEGIN
                INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {_values(index, "new")});
            END""",
        f"{fts}_delete": f"""
            CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON {table} BEGIN
                INSERT INTO {fts}({fts}, rowid, {cols})
                VALUES ('delete', old.id, {_values(index, "old")});
            END""",
        # Only when the indexed text changes: a status change does not touch the index.
        f"{fts}_update": f"""
            CREATE TRIGGER IF NOT EXISTS {fts}_update
            AFTER UPDATE OF id, {cols} ON {table} WHEN {changed} BEGIN
                INSERT INTO {fts}({fts}, rowid, {cols})
                VALUES ('delete', old.id, {_values(index, "old")});
                INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {_values(index, "new")});
            END""",
    }


def sqlite_install(index: Index) -> list[str]:
    fts = index.fts
    return [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(
            {", ".join(index.columns)},
            content='{index.table}', content_rowid='id',
            tokenize='{index.tokenize}'{f", prefix='{index.prefix}'" if index.prefix else ""})""",
        # As for the tickets' index (tickets migration 0005): fewer, cheaper merges per write.
        f"INSERT INTO {fts}({fts}, rank) VALUES ('automerge', 16)",
        *sqlite_triggers(index).values(),
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
        f"INSERT INTO {fts}({fts}) VALUES ('optimize')",
    ]


def sqlite_uninstall(index: Index) -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in sqlite_triggers(index)),
        f"DROP TABLE IF EXISTS {index.fts}",
    ]


# --- PostgreSQL ------------------------------------------------------------------------------
def _vector(columns: tuple[str, ...], weight: str, row: str) -> str:
    text = " || ' ' || ".join(f"coalesce({row}{column}, '')" for column in columns)
    unaccented = f"immutable_unaccent({text})"
    return (
        f"setweight(to_tsvector('french', {unaccented}) || to_tsvector('english', {unaccented})"
        f" || to_tsvector('simple', {unaccented}), '{weight}')"
    )


def vector_sql(index: Index, row: str = "") -> str:
    return f"{_vector(index.titles, 'A', row)} || {_vector(index.texts, 'B', row)}"


def postgres_install(index: Index) -> list[str]:
    table = index.table
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_search_update() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                NEW.search_vector := {vector_sql(index, "NEW.")};
                RETURN NEW;
            END
            $$""",
        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector",
        f"DROP TRIGGER IF EXISTS {table}_search ON {table}",
        f"""CREATE TRIGGER {table}_search
            BEFORE INSERT OR UPDATE OF {", ".join(index.columns)} ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_search_update()""",
        f"UPDATE {table} SET search_vector = {vector_sql(index)}",
        f"CREATE INDEX IF NOT EXISTS {table}_search_idx ON {table} USING gin (search_vector)",
        *postgres_title_index(index),
    ]


def postgres_title_index(index: Index) -> list[str]:
    if not index.title_index:
        return []
    return [
        f"CREATE INDEX IF NOT EXISTS {index.table}_search_title_idx ON {index.table}"
        f" USING gin ({TITLE_VECTOR})"
    ]


# The A-weighted lexemes of a row's vector (written the same in the index and the queries).
TITLE_VECTOR = "ts_filter(search_vector, '{a}')"


def postgres_uninstall(index: Index) -> list[str]:
    table = index.table
    return [
        f"DROP INDEX IF EXISTS {table}_search_title_idx",
        f"DROP INDEX IF EXISTS {table}_search_idx",
        f"DROP TRIGGER IF EXISTS {table}_search ON {table}",
        f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector",
        f"DROP FUNCTION IF EXISTS {table}_search_update()",
    ]


def install(connection, index: Index) -> None:
    statements = {"sqlite": sqlite_install, "postgresql": postgres_install}.get(connection.vendor)
    with connection.cursor() as cursor:
        for sql in statements(index) if statements else []:
            cursor.execute(sql)


def uninstall(connection, index: Index) -> None:
    statements = {"sqlite": sqlite_uninstall, "postgresql": postgres_uninstall}.get(
        connection.vendor
    )
    with connection.cursor() as cursor:
        for sql in statements(index) if statements else []:
            cursor.execute(sql)


def repair_sqlite_triggers(using: str = "default", indexes: tuple = ALL, **kwargs) -> None:
    """After `migrate`: Django rebuilds a SQLite table (dropping its triggers) for many schema
    changes; put them back and reindex. One query on sqlite_master when nothing is missing."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        present = {row[0] for row in cursor.fetchall()}
        for index in indexes:
            triggers = sqlite_triggers(index)
            if index.fts not in present or set(triggers) <= present:
                continue
            for sql in triggers.values():
                cursor.execute(sql)
            cursor.execute(f"INSERT INTO {index.fts}({index.fts}) VALUES ('rebuild')")
