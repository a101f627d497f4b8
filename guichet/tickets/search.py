"""Text filter on tickets, backed by the database's own full-text engine.

The index covers the title and the description of each ticket. Follow-ups are left out on
purpose: internal notes are hidden from requesters, and a requester must not learn that a
word appears in one by finding the ticket through it.

- SQLite: the FTS5 table `tickets_ticket_fts` (external content over `tickets_ticket`, one row
  per ticket keyed by its id; `porter unicode61 remove_diacritics 2`, so "reseau" finds "réseau"
  and "écran" finds "écrans": see search.indexes, whose indexes are built the same way).
- PostgreSQL: the hidden column `tickets_ticket.search_vector` (title weighted A, description
  B; French, English and 'simple' lexemes of the unaccented text) with a GIN index.

Both are kept by triggers inside the database, so the index changes in the same transaction
as the ticket row, whoever writes it. The DDL lives here and migration 0003 installs it; a
change to it needs a new migration that calls `uninstall` then `install` (which reindexes).

On SQLite, Django rebuilds a table (and loses its triggers) for many later schema changes;
`repair_sqlite_triggers` runs after every `migrate` and puts them back.
"""

import re
import unicodedata

from django.db import connections
from django.db.models import BooleanField, Expression, Q, QuerySet
from django.db.models.expressions import RawSQL

MAX_CHARS = 500
MAX_TERMS = 16
# Shorter words are matched whole: "pc" or "ip" as a prefix would match much of the vocabulary.
MIN_PREFIX = 3
# French and English articles, prepositions and conjunctions.
STOP_WORDS = frozenset(
    {"a", "à", "au", "aux", "avec", "d", "dans", "de", "des", "du", "en", "et", "l", "la", "le",
     "les", "ou", "par", "pour", "sur", "un", "une",
     "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
)  # fmt: skip

_WORD = re.compile(r"[^\W_]+")
# French elided articles and pronouns ("l'imprimante", "qu'il"): drop them, not the word.
_ELISION = re.compile(r"\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_TICKET_NUMBER = re.compile(r"#?(\d{1,18})")

# --- SQLite ----------------------------------------------------------------------------------
FTS_TABLE = "tickets_ticket_fts"
_MATCHING_IDS = "SELECT rowid FROM tickets_ticket_fts WHERE tickets_ticket_fts MATCH %s"
SQLITE_REBUILD = "INSERT INTO tickets_ticket_fts(tickets_ticket_fts) VALUES ('rebuild')"
# After a rebuild, one segment: else the next writes would soon merge the large segments the
# rebuild left with their small ones, holding the write lock for seconds on a big database.
SQLITE_OPTIMIZE = "INSERT INTO tickets_ticket_fts(tickets_ticket_fts) VALUES ('optimize')"
SQLITE_TRIGGERS = {
    "tickets_ticket_fts_insert": """
        CREATE TRIGGER IF NOT EXISTS tickets_ticket_fts_insert AFTER INSERT ON tickets_ticket
        BEGIN
            INSERT INTO tickets_ticket_fts(rowid, title, description)
            VALUES (new.id, new.title, new.description);
        END""",
    "tickets_ticket_fts_delete": """
        CREATE TRIGGER IF NOT EXISTS tickets_ticket_fts_delete AFTER DELETE ON tickets_ticket
        BEGIN
            INSERT INTO tickets_ticket_fts(tickets_ticket_fts, rowid, title, description)
            VALUES ('delete', old.id, old.title, old.description);
        END""",
    # Only when the indexed text changes: a status change does not touch the index.
    "tickets_ticket_fts_update": """
        CREATE TRIGGER IF NOT EXISTS tickets_ticket_fts_update
        AFTER UPDATE OF id, title, description ON tickets_ticket
        WHEN old.id IS NOT new.id OR old.title IS NOT new.title
            OR old.description IS NOT new.description
        BEGIN
            INSERT INTO tickets_ticket_fts(tickets_ticket_fts, rowid, title, description)
            VALUES ('delete', old.id, old.title, old.description);
            INSERT INTO tickets_ticket_fts(rowid, title, description)
            VALUES (new.id, new.title, new.description);
        END""",
}
# The three-letter prefix index serves the first letters typed in a search box, which would
# otherwise merge the lists of every word starting with them.
SQLITE_INSTALL = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS tickets_ticket_fts USING fts5(
        title, description,
        content='tickets_ticket', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2',
        prefix='3'
    )""",
    *SQLITE_TRIGGERS.values(),
    SQLITE_REBUILD,
    SQLITE_OPTIMIZE,
]
SQLITE_UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
    "DROP TABLE IF EXISTS tickets_ticket_fts",
]

# --- PostgreSQL ------------------------------------------------------------------------------
# unaccent() is only STABLE (it reads a dictionary chosen by search_path); pinning the
# dictionary by schema makes an IMMUTABLE wrapper safe to use in an index or a trigger.
POSTGRES_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """CREATE OR REPLACE FUNCTION immutable_unaccent(text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$""",
    """CREATE OR REPLACE FUNCTION tickets_ticket_search_vector(title text, description text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT setweight(to_tsvector('french', t) || to_tsvector('english', t)
                         || to_tsvector('simple', t), 'A')
            || setweight(to_tsvector('french', d) || to_tsvector('english', d)
                         || to_tsvector('simple', d), 'B')
        FROM (SELECT immutable_unaccent(coalesce(title, '')) AS t,
                     immutable_unaccent(coalesce(description, '')) AS d) AS texts
        $$""",
    # One word of the user's text as a query: its French and English stems or itself (each
    # once: the planner counts a repeated alternative as more matches), optionally as a
    # prefix. Characters that mean something to to_tsquery are removed first, so no input can
    # make it fail.
    r"""CREATE OR REPLACE FUNCTION tickets_search_term(term text, prefix boolean)
        RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
        SELECT f || CASE WHEN e = f THEN ''::tsquery ELSE e END
                 || CASE WHEN s = f OR s = e THEN ''::tsquery ELSE s END
        FROM (SELECT to_tsquery('french', q) AS f, to_tsquery('english', q) AS e,
                     to_tsquery('simple', q) AS s
              FROM (SELECT CASE WHEN w = '' OR NOT prefix THEN w ELSE w || ':*' END AS q
                    FROM (SELECT regexp_replace(immutable_unaccent(term),
                                                '[&|!():*<>''\\[:space:]]+', '', 'g') AS w
                         ) AS cleaned) AS words) AS queries
        $$""",
    """CREATE OR REPLACE FUNCTION tickets_ticket_search_update() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.search_vector := tickets_ticket_search_vector(NEW.title, NEW.description);
            RETURN NEW;
        END
        $$""",
    "ALTER TABLE tickets_ticket ADD COLUMN IF NOT EXISTS search_vector tsvector",
    # A long list of common words in the statistics lets the planner tell a rare word (fetch
    # its few tickets through the GIN index) from a common one (walk the queue's order).
    "ALTER TABLE tickets_ticket ALTER COLUMN search_vector SET STATISTICS 1000",
    "DROP TRIGGER IF EXISTS tickets_ticket_search ON tickets_ticket",
    """CREATE TRIGGER tickets_ticket_search
        BEFORE INSERT OR UPDATE OF title, description ON tickets_ticket
        FOR EACH ROW EXECUTE FUNCTION tickets_ticket_search_update()""",
    "UPDATE tickets_ticket SET search_vector = tickets_ticket_search_vector(title, description)",
    """CREATE INDEX IF NOT EXISTS tickets_ticket_search_idx
        ON tickets_ticket USING gin (search_vector)""",
]
POSTGRES_UNINSTALL = [
    "DROP INDEX IF EXISTS tickets_ticket_search_idx",
    "DROP TRIGGER IF EXISTS tickets_ticket_search ON tickets_ticket",
    "ALTER TABLE tickets_ticket DROP COLUMN IF EXISTS search_vector",
    "DROP FUNCTION IF EXISTS tickets_ticket_search_update()",
    "DROP FUNCTION IF EXISTS tickets_search_term(text, boolean)",
    "DROP FUNCTION IF EXISTS tickets_ticket_search_vector(text, text)",
    "DROP FUNCTION IF EXISTS immutable_unaccent(text)",
    # The unaccent extension stays: it is harmless and something else may use it.
]


def install(connection) -> None:
    """Create the index, its triggers, and fill it from the existing tickets."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_INSTALL:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            cursor.execute(POSTGRES_INSTALL[0])
            cursor.execute(
                "SELECT extnamespace::regnamespace::text FROM pg_extension"
                " WHERE extname = 'unaccent'"
            )
            schema = cursor.fetchone()[0]
            cursor.execute(POSTGRES_INSTALL[1].format(schema=schema))
            for sql in POSTGRES_INSTALL[2:]:
                cursor.execute(sql)


def uninstall(connection) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in SQLITE_UNINSTALL:
                cursor.execute(sql)
        elif connection.vendor == "postgresql":
            for sql in POSTGRES_UNINSTALL:
                cursor.execute(sql)


def repair_sqlite_triggers(using: str = "default", **kwargs) -> None:
    """After `migrate`: if a table rebuild dropped the triggers, recreate them and reindex.

    Connected to post_migrate; costs one query on sqlite_master when nothing is missing.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master"
            " WHERE name = %s OR (type = 'trigger' AND tbl_name = 'tickets_ticket')",
            [FTS_TABLE],
        )
        present = {row[0] for row in cursor.fetchall()}
        if FTS_TABLE not in present or set(SQLITE_TRIGGERS) <= present:
            return
        for sql in SQLITE_TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(SQLITE_REBUILD)
        cursor.execute(SQLITE_OPTIMIZE)


# --- Querying --------------------------------------------------------------------------------
def search_terms(q: str) -> list[str]:
    """The words of the user's text, as letters and digits only: no query syntax survives.

    Articles and prepositions are dropped when other words remain: "serveur de fichiers"
    then also finds "serveur des fichiers", and a word found in most tickets does not make
    every search pay for reading its whole list.
    """
    text = unicodedata.normalize("NFKC", q[:MAX_CHARS])
    words = _WORD.findall(_ELISION.sub(" ", text))
    meaningful = [word for word in words if word.lower() not in STOP_WORDS]
    return (meaningful or words)[:MAX_TERMS]


def _prefix(terms: list[str], index: int) -> bool:
    return index == len(terms) - 1 and len(terms[index]) >= MIN_PREFIX


def fts5_query(terms: list[str]) -> str:
    """An FTS5 expression: every term quoted (implicit AND), the last one as a prefix."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    if terms and _prefix(terms, len(terms) - 1):
        quoted[-1] += "*"
    return " ".join(quoted)


class _VectorMatches(Expression):
    """PostgreSQL: `search_vector @@ <every term, the last one as a prefix>`."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, terms: list[str]):
        super().__init__()
        self.terms = terms

    def as_sql(self, compiler, connection):
        # The ticket table under the alias this query gives it (a subquery renames tables).
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        parts, params = [], []
        for index, term in enumerate(self.terms):
            parts.append("tickets_search_term(%s, %s)")
            params += [term, _prefix(self.terms, index)]
        return f"{alias}.search_vector @@ ({' && '.join(parts)})", params


def text_filter(queryset: QuerySet, q: str) -> QuerySet:
    """Narrow `queryset` (tickets already limited to what the user may see) to those matching q.

    Every word must appear in the title or the description, accents and case aside; the last
    word may be the start of a word. `#123` or `123` also finds ticket 123.
    """
    q = (q or "").replace("\x00", "")
    terms = search_terms(q)
    condition = Q(pk__in=[])
    if terms and connections[queryset.db].vendor == "postgresql":
        condition = Q(_VectorMatches(terms))
    elif terms:
        # SQLite collects the matching ids from the FTS index, then fetches the tickets by
        # id, newest first, and stops at the page size: it never scans the ticket table.
        condition = Q(pk__in=RawSQL(_MATCHING_IDS, [fts5_query(terms)]))  # noqa: S611
    number = _TICKET_NUMBER.fullmatch(q.strip())
    if number:
        condition |= Q(pk=int(number.group(1)))
    return queryset.filter(condition)
