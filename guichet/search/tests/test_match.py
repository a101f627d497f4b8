"""The index lookups themselves: newest matches, title matches, on either engine."""

import pytest
from django.db import connection

from guichet.knowledge.models import Article
from guichet.search import match
from guichet.search.indexes import ARTICLES
from guichet.search.tests.factories import make_article

pytestmark = pytest.mark.django_db


def _articles(alice, n: int) -> list[Article]:
    made = []
    for i in range(n):
        # Every third one has the word in its title, the others in their text only.
        if i % 3 == 0:
            made.append(make_article(alice, title_fr=f"Imprimante {i}", body_fr="Réglages"))
        else:
            made.append(make_article(alice, title_fr=f"Poste {i}", body_fr="Une imprimante"))
    return made


def test_newest_matches_come_highest_id_first_and_stop_at_the_limit(alice):
    made = _articles(alice, 12)
    found = match.newest_ids(Article, ARTICLES.fts, ["imprimante"], 5)
    assert found == sorted((a.pk for a in made), reverse=True)[:5]


def test_title_matches_are_only_those_with_the_word_in_the_title(alice):
    made = _articles(alice, 12)
    found = match.newest_ids(Article, ARTICLES.fts, ["imprimante"], 50, titles=ARTICLES.titles)
    assert found == [a.pk for a in reversed(made) if a.title_fr.startswith("Imprimante")]


def test_ranges_widen_until_enough_matches_are_found(alice, monkeypatch):
    # A first range of two ids holds one match: the next, wider ranges find the rest.
    monkeypatch.setattr(match, "FIRST_RANGE", 2)
    monkeypatch.setattr(match, "RANGE_GROWTH", 2)
    made = _articles(alice, 12)
    found = match.newest_ids(Article, ARTICLES.fts, ["imprimante"], 3, titles=ARTICLES.titles)
    assert found == [a.pk for a in reversed(made) if a.title_fr.startswith("Imprimante")][:3]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner settings of PostgreSQL")
def test_the_planner_settings_are_put_back_after_a_lookup(alice):
    _articles(alice, 3)
    match.newest_ids(Article, ARTICLES.fts, ["imprimante"], 5)
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
        cursor.execute("SHOW enable_indexscan")
        assert cursor.fetchone()[0] == "on"
