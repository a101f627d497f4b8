"""One search: stemming and accents, permissions, facets, hostile input (through the page)."""

import pytest
from django.urls import reverse

from guichet.accounts.tests.factories import make_user
from guichet.knowledge import actions as knowledge
from guichet.search import engine
from guichet.search.sources import Filters
from guichet.search.tests.factories import make_article, make_known_error, make_problem
from guichet.tickets.tests.factories import category, make_ticket

pytestmark = pytest.mark.django_db


def kinds_and_titles(found):
    return {(hit.kind, hit.title) for hit in found.hits}


def test_accents_and_plurals_are_folded_in_both_directions(alice):
    make_article(alice, title_fr="Écrans noirs au démarrage")
    make_article(alice, title_fr="Le réseau Wi-Fi décroche")
    make_article(alice, title_en="Printers offline after the update")
    for q in ("ecran", "écran", "ECRANS", "écrans noirs"):
        assert ("article", "Écrans noirs au démarrage") in kinds_and_titles(
            engine.search(alice, q)
        ), q
    assert engine.search(alice, "réseaux").total == 1
    assert engine.search(alice, "reseau").total == 1
    assert engine.search(alice, "printer").total == 1
    assert engine.search(alice, "imprimante").total == 0


def test_every_word_must_match_and_the_last_one_may_be_a_prefix(alice):
    make_article(alice, title_fr="Imprimante bloquée au deuxième étage")
    assert engine.search(alice, "imprimante bloq").total == 1
    assert engine.search(alice, "imprimante cassée").total == 0


def test_it_finds_tickets_articles_known_errors_problems_and_people(alice, bob):
    make_ticket(bob, title="Outlook plante à l'ouverture")
    make_article(alice, title_fr="Réparer le profil Outlook")
    make_known_error(alice, title_fr="Outlook plante avec le complément PDF")
    make_problem(alice, title="Outlook plante chez plusieurs clients")
    make_user("outlookfan", organisation=bob.organisation, first_name="Outlook", last_name="Fan")
    found = engine.search(alice, "outlook")
    assert {hit.kind for hit in found.hits} == {
        "ticket",
        "article",
        "known_error",
        "problem",
        "contact",
    }
    assert found.totals == {
        "ticket": 1,
        "article": 1,
        "known_error": 1,
        "problem": 1,
        "contact": 1,
    }


def test_hits_are_ranked_by_relevance_title_before_text(alice, bob):
    make_ticket(bob, title="Question", description="Le VPN ne se connecte plus depuis hier")
    make_ticket(bob, title="VPN en panne", description="Rien ne marche")
    found = engine.search(alice, "vpn")
    assert [hit.title for hit in found.hits] == ["VPN en panne", "Question"]


def test_snippets_mark_the_match_and_escape_everything_else(alice, bob):
    make_ticket(
        bob, title="Souci", description="<script>alert(1)</script> le disque est plein & lent"
    )
    hit = engine.search(alice, "disque").hits[0]
    assert "<mark>disque</mark>" in hit.snippet
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet
    assert "&amp;" in hit.snippet


# --- Permissions ---------------------------------------------------------------------------
def test_an_outsider_sees_no_hit_count_or_facet_of_another_client(alice, bob, charlie, dave):
    make_ticket(bob, title="Serveur de fichiers Acme saturé")
    for outsider in (charlie, dave):
        found = engine.search(outsider, "saturé")
        assert found.hits == [] and found.total == 0 and found.totals.get("ticket") == 0
        assert found.facets["organisation"] == [] and found.facets["status"] == []
    assert engine.search(alice, "saturé").total == 1
    assert engine.search(bob, "saturé").total == 1


def test_requesters_see_only_the_public_faq_meant_for_them(alice, bob, charlie, globex):
    make_article(alice, title_fr="Procédure interne sauvegarde")
    make_article(alice, title_fr="Brouillon sauvegarde", status="draft", audience="public")
    make_article(alice, title_fr="FAQ sauvegarde pour tous", audience="public")
    make_article(alice, title_fr="FAQ sauvegarde Globex", audience="public", organisations=[globex])
    assert {hit.title for hit in engine.search(bob, "sauvegarde").hits} == {
        "FAQ sauvegarde pour tous"
    }
    assert {hit.title for hit in engine.search(charlie, "sauvegarde").hits} == {
        "FAQ sauvegarde pour tous",
        "FAQ sauvegarde Globex",
    }
    assert engine.search(alice, "sauvegarde").total == 4


def test_problems_are_for_the_staff_only(alice, bob):
    make_problem(alice, title="Pilote d'imprimante instable")
    assert engine.search(bob, "pilote").total == 0
    assert engine.search(alice, "pilote").totals["problem"] == 1


def test_people_are_found_only_by_those_who_may_see_them(alice, bob, charlie, dave):
    assert engine.search(charlie, "bob").totals.get("contact", 0) == 0
    assert engine.search(dave, "bob").totals.get("contact", 0) == 0
    assert engine.search(alice, "bob").totals["contact"] == 1


def test_an_inactive_or_anonymous_user_finds_nothing(alice, bob):
    from django.contrib.auth.models import AnonymousUser

    make_ticket(bob, title="Clavier cassé")
    assert engine.search(AnonymousUser(), "clavier").total == 0
    bob.is_active = False
    assert engine.search(bob, "clavier").total == 0


# --- Index kept in the same transaction -----------------------------------------------------
def test_the_index_follows_edits_and_deletions_at_once(alice):
    article = make_article(alice, title_fr="Ancien titre pivoine")
    knowledge.update_article(article=article, actor=alice, title_fr="Nouveau titre tulipe")
    assert engine.search(alice, "pivoine").total == 0
    assert engine.search(alice, "tulipe").total == 1
    article.delete()
    assert engine.search(alice, "tulipe").total == 0


# --- Facets and filters ---------------------------------------------------------------------
def test_facets_count_kinds_statuses_categories_and_organisations(alice, bob):
    printer = category("hardware-printer")
    make_ticket(bob, title="Imprimante HS", category=printer)
    make_ticket(bob, title="Imprimante lente")
    make_article(alice, title_fr="Imprimante : bourrage papier", categories=[printer])
    found = engine.search(alice, "imprimante")
    kinds = {facet.value: facet.count for facet in found.facets["kind"]}
    assert kinds == {"ticket": 2, "article": 1}
    categories = {facet.value: facet.count for facet in found.facets["category"]}
    assert categories == {str(printer.pk): 2}
    organisations = {facet.label: facet.count for facet in found.facets["organisation"]}
    assert organisations == {bob.organisation.name: 2}
    only = engine.search(alice, "imprimante", Filters(kind="ticket", category=printer.pk))
    assert [hit.title for hit in only.hits] == ["Imprimante HS"]
    published = engine.search(alice, "imprimante", Filters(status="published"))
    assert [hit.kind for hit in published.hits] == ["article"]
    acme = engine.search(alice, "imprimante", Filters(organisation=bob.organisation_id))
    assert {hit.kind for hit in acme.hits} == {"ticket"}


# --- Hostile input, through the page -------------------------------------------------------
HOSTILE = [
    '"', '""', "*", "NEAR", "NEAR(a b)", "-", "--", "((", "a AND", "OR", "NOT x", "^", "a:b",
    "title:x", "'; DROP TABLE x; --", "\\", "%", "_", "\x00", "é" * 600, "a " * 400, "🙂",
    "imprimante\x00bloquée", "x*y", "{a b}", "[", "a|b", "!", "<>", "&&", ":*",
]  # fmt: skip


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_search_literally_and_never_fail(alice_client, q):
    response = alice_client.get(reverse("search:results"), {"q": q})
    assert response.status_code == 200


def test_operators_are_searched_as_words(alice, bob):
    make_ticket(bob, title="Erreur NEAR le serveur")
    assert engine.search(alice, '"NEAR"').total == 1
    assert engine.search(alice, "serveur -erreur").total == 1


def test_bad_filters_are_explained_not_failed(alice_client):
    response = alice_client.get(
        reverse("search:results"), {"q": "x", "kind": "spaceship", "category": "abc"}
    )
    assert response.status_code == 400
    assert "Unknown kind of result." in response.content.decode()
