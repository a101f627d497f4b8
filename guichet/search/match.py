"""The full-text condition on a queryset, for either engine."""

# ruff: noqa: S608, S611 (names are constants; the user's words travel as parameters)
import json
from functools import lru_cache

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from guichet.search.indexes import TITLE_VECTOR
from guichet.search.query import fts5_match, fts5_pairs, tsquery_pairs_sql, tsquery_sql


@lru_cache(maxsize=2048)
def _tsquery_text(alias: str, sql: str, params: tuple) -> str:
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT ({sql})::text", list(params))
        return cursor.fetchone()[0]


def pg_tsquery(connection, terms: list[str], *, two_terms: bool = False) -> tuple[str, list]:
    """The PostgreSQL tsquery of `terms` as a literal parameter, computed once per process:
    planning `tickets_search_term` (unaccent and three stemmers) costs a millisecond or two
    in every query that names it, and a search runs a dozen. The function is immutable."""
    sql, params = tsquery_pairs_sql(terms) if two_terms else tsquery_sql(terms)
    return "%s::tsquery", [_tsquery_text(connection.alias, sql, tuple(params))]


def matching(
    queryset: QuerySet,
    fts: str,
    terms: list[str],
    *,
    two_terms: bool = False,
    newest: int | None = None,
) -> QuerySet:
    """`queryset` narrowed to rows whose index matches every term (or, with `two_terms`, at
    least two of them: suggestions).

    `newest` keeps only the N most recent matches (highest ids) before any other condition:
    a bound on the work for words found in much of the table, at the price of what lies
    beyond.
    """
    table = queryset.model._meta.db_table
    if connections[queryset.db].vendor == "postgresql":
        tsquery, params = pg_tsquery(connections[queryset.db], terms, two_terms=two_terms)
        condition = f'"{table}".search_vector @@ {tsquery}'
        if newest is None:
            return queryset.filter(RawSQL(condition, params, output_field=BooleanField()))
        # The newest matches read first, as `newest_ids` does (see `_newest_by_ranges`).
        condition = f"search_vector @@ {tsquery}"
        connection = connections[queryset.db]
        return among(queryset, _newest_by_ranges(connection, table, condition, params, newest))
    expression = fts5_pairs(terms) if two_terms else fts5_match(terms)
    sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s"
    if newest is not None:
        sql += f" ORDER BY rowid DESC LIMIT {int(newest)}"
    return queryset.filter(Q(pk__in=RawSQL(sql, [expression])))  # noqa: S611


def newest_ids(
    model, fts: str, terms: list[str], limit: int, *, titles: tuple[str, ...] = ()
) -> list[int]:
    """The ids of the `limit` newest matches of the index, highest first: the index streams
    them in id order and stops, whatever the number of matches. With `titles`, only matches
    in those columns (the A-weighted part of the vector on PostgreSQL)."""
    table = model._meta.db_table
    connection = connections[model.objects.db]
    if connection.vendor == "sqlite":
        expression = fts5_match(terms)
        if titles:
            expression = "{" + " ".join(titles) + "} : (" + expression + ")"
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, limit])
            return [row[0] for row in cursor.fetchall()]
    tsquery, params = pg_tsquery(connection, terms)
    # Titles: the title index alone answers (search.indexes.TITLE_VECTOR).
    vector = TITLE_VECTOR if titles else "search_vector"
    return _newest_by_ranges(connection, table, f"{vector} @@ {tsquery}", params, limit)


def has_match(model, fts: str, terms: list[str]) -> bool:
    """Whether the index matches anything at all: one plain lookup, no order asked."""
    connection = connections[model.objects.db]
    if connection.vendor == "sqlite":
        sql, params = f"SELECT 1 FROM {fts} WHERE {fts} MATCH %s LIMIT 1", [fts5_match(terms)]
    else:
        tsquery, params = pg_tsquery(connection, terms)
        sql = f"SELECT 1 FROM {model._meta.db_table} WHERE search_vector @@ {tsquery} LIMIT 1"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


# PostgreSQL: the newest ids are looked for among the last FIRST_RANGE ids, then a range
# RANGE_GROWTH times wider, and so on.
FIRST_RANGE = 20_000
RANGE_GROWTH = 8


def _newest_by_ranges(connection, table: str, condition: str, params: list, limit: int):
    """The `limit` highest ids of `table` matching `condition`, on PostgreSQL.

    A GIN index knows which rows match, not in what order: asked for the newest matches,
    the planner walks the primary key backwards and tests every row it passes, which is
    quick for a word in every tenth row and takes seconds for a rare one at a million rows
    (its estimates for prefixes are off by a factor of five, so it cannot tell them apart).
    Here the index's bitmap is combined with a range of recent ids (a BitmapAnd), so that
    only matches in the range are read: a common word is answered by the first range, a
    rare one by a few index lookups. The plan is said for these queries only.
    """
    with connection.cursor() as cursor:
        # One round trip sets the plan and reads the highest id; RESET puts the server's
        # settings back (an error in between aborts a surrounding transaction, which undoes
        # the SET too).
        cursor.execute(
            "SELECT set_config('enable_indexscan', 'off', false),"
            f" set_config('enable_seqscan', 'off', false), (SELECT max(id) FROM {table})"
        )
        top = cursor.fetchone()[2] or 0
        try:
            width = FIRST_RANGE
            while True:
                floor = top - width
                sql = f"SELECT id FROM {table} WHERE {condition}"
                if floor > 0:
                    sql += f" AND id > {int(floor)}"
                cursor.execute(sql + " ORDER BY id DESC LIMIT %s", [*params, limit])
                found = [row[0] for row in cursor.fetchall()]
                if len(found) >= limit or floor <= 0:
                    break
                width *= RANGE_GROWTH
        finally:
            cursor.execute("RESET enable_indexscan; RESET enable_seqscan")
    return found


def best_ids(
    model, fts: str, terms: list[str], limit: int, *, two_terms: bool = False
) -> list[int]:
    """The ids of the `limit` best-ranked matches of the index (bm25 or ts_rank), read once:
    a search then counts and fetches among them without ranking the index again."""
    table = model._meta.db_table
    connection = connections[model.objects.db]
    if connection.vendor == "postgresql":
        tsquery, params = pg_tsquery(connection, terms, two_terms=two_terms)
        sql = (
            f"SELECT id FROM {table} WHERE search_vector @@ {tsquery}"
            f" ORDER BY ts_rank(search_vector, {tsquery}) DESC LIMIT %s"
        )
        params = params + params + [limit]
    else:
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rank LIMIT %s"
        params = [fts5_pairs(terms) if two_terms else fts5_match(terms), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def among(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """`queryset` limited to `ids`, passed as one parameter (a JSON array on SQLite, an array
    on PostgreSQL): a thousand ids would otherwise be a thousand placeholders to compile."""
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [list(ids)]))
    return queryset.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
