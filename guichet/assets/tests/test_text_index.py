"""The trigram index behind the assets' text filter, on each engine."""

import pytest
from django.db import connection

from guichet.assets import text_index
from guichet.assets.models import Asset
from guichet.assets.tests.factories import make_asset
from guichet.search.indexes import sqlite_triggers

only_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
only_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm indexes")


def found(text: str) -> set[int]:
    return set(Asset.objects.filter(text_index.matching(text)).values_list("pk", flat=True))


@only_sqlite
def test_lost_triggers_are_put_back_after_migrate(alice, acme):
    indexed = make_asset(alice, acme, name="Scanner-Accueil")
    # What a table rebuild by a later SQLite migration does: the triggers go.
    with connection.cursor() as cursor:
        for name in sqlite_triggers(text_index.ASSET_TEXT):
            cursor.execute(f"DROP TRIGGER {name}")
    missed = make_asset(alice, acme, name="Scanner-Compta")
    assert found("scanner") == {indexed.pk}

    text_index.repair(using="default")

    assert found("scanner") == {indexed.pk, missed.pk}
    later = make_asset(alice, acme, name="Scanner-RH")
    assert found("scanner") == {indexed.pk, missed.pk, later.pk}


@only_sqlite
def test_sqlite_reads_the_fts_table_for_long_words(alice, acme):
    make_asset(alice, acme, name="PC-0012")
    sql = str(Asset.objects.filter(text_index.matching("pc-0012 x")).query)
    assert "assets_asset_fts MATCH" in sql and "LIKE" in sql  # "x" is too short for trigrams


@only_postgres
def test_postgres_answers_a_contains_from_the_trigram_indexes(alice, acme):
    for n in range(30):
        make_asset(alice, acme, name=f"PC-{n:04}", serial=f"SN{n:06}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assets_asset")
        cursor.execute("SET enable_seqscan = off")  # a tiny table: make the index the choice
        sql, params = Asset.objects.filter(text_index.matching("pc-0012")).query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "asset_text_trgm_idx" in plan, plan
    assert found("pc-0012") == set(
        Asset.objects.filter(name="PC-0012").values_list("pk", flat=True)
    )


def test_like_wildcards_in_a_word_are_plain_characters(alice, acme):
    wanted = make_asset(alice, acme, name="LAB_100%")
    make_asset(alice, acme, name="LABX1000")
    assert found("b_100%") == {wanted.pk}


def test_a_word_is_not_found_across_two_columns(alice, acme):
    make_asset(alice, acme, name="PC", serial="0012")
    assert found("pc0012") == set() and found("pc-0012") == set()
    assert len(found("pc 0012")) == 1
