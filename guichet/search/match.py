"""The full-text condition on a queryset, for either engine."""

# ruff: noqa: S608, S611 (names are constants; the user's words travel as parameters)
import json

from django.db import connections
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL

from guichet.search.query import fts5_match, fts5_pairs, tsquery_pairs_sql, tsquery_sql


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
        tsquery, params = tsquery_pairs_sql(terms) if two_terms else tsquery_sql(terms)
        condition = f'"{table}".search_vector @@ {tsquery}'
        if newest is None:
            return queryset.filter(RawSQL(condition, params, output_field=BooleanField()))
        inner = (
            f"SELECT inner_t.id FROM {table} inner_t"
            f" WHERE inner_t.search_vector @@ {tsquery} ORDER BY inner_t.id DESC LIMIT %s"
        )
        return queryset.filter(pk__in=RawSQL(inner, [*params, newest]))  # noqa: S611
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
    if connection.vendor == "postgresql":
        tsquery, params = tsquery_sql(terms)
        where = f"search_vector @@ {tsquery}"
        if titles:
            where += f" AND ts_filter(search_vector, '{{a}}') @@ {tsquery}"
            params = params + params
        sql = f"SELECT id FROM {table} WHERE {where} ORDER BY id DESC LIMIT %s"
        params = params + [limit]
    else:
        expression = fts5_match(terms)
        if titles:
            expression = "{" + " ".join(titles) + "} : (" + expression + ")"
        sql = f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT %s"
        params = [expression, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def best_ids(
    model, fts: str, terms: list[str], limit: int, *, two_terms: bool = False
) -> list[int]:
    """The ids of the `limit` best-ranked matches of the index (bm25 or ts_rank), read once:
    a search then counts and fetches among them without ranking the index again."""
    table = model._meta.db_table
    connection = connections[model.objects.db]
    if connection.vendor == "postgresql":
        tsquery, params = tsquery_pairs_sql(terms) if two_terms else tsquery_sql(terms)
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


def count_matches(model, fts: str, terms: list[str], limit: int) -> int:
    """How many rows the index matches, counted up to `limit` (newest first, so it stops)."""
    table = model._meta.db_table
    connection = connections[model.objects.db]
    if connection.vendor == "postgresql":
        tsquery, params = tsquery_sql(terms)
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {table}"
            f" WHERE search_vector @@ {tsquery} LIMIT %s) AS m"
        )
        params = params + [limit]
    else:
        sql = (
            f"SELECT count(*) FROM (SELECT rowid FROM {fts}"
            f" WHERE {fts} MATCH %s ORDER BY rowid DESC LIMIT %s)"
        )
        params = [fts5_match(terms), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def among(queryset: QuerySet, ids: list[int]) -> QuerySet:
    """`queryset` limited to `ids`, passed as one parameter (a JSON array on SQLite, an array
    on PostgreSQL): a thousand ids would otherwise be a thousand placeholders to compile."""
    if connections[queryset.db].vendor == "postgresql":
        return queryset.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [list(ids)]))
    return queryset.filter(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
